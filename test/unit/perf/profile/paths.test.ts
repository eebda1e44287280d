// framePath: the user's files relative to the run's root, dependencies and the standard library by a short name,
// the profiler's driver flagged, never a host path.
import { describe, expect, it } from 'vitest';
import { framePath } from '../../../../main/services/perf/profile/paths';

const ROOT = '/tmp/evolve-sbx-Ab12/';

describe('framePath', () => {
  it('makes the user code relative to the root, as a path or a file:// URL', () => {
    expect(framePath('/tmp/evolve-sbx-Ab12/pkg/dedup.py', ROOT)).toEqual({ file: 'pkg/dedup.py', own: true, driver: false });
    expect(framePath('file:///tmp/evolve-sbx-Ab12/src/a%20b.js', ROOT.slice(0, -1))).toEqual({
      file: 'src/a b.js',
      own: true,
      driver: false,
    });
  });

  it('flags the driver and shortens dependencies and the standard library', () => {
    expect(framePath('/tmp/evolve-sbx-Ab12/.evolve-perf/profile_driver.py', ROOT).driver).toBe(true);
    expect(framePath('/root/.pyenv/versions/3.11.7/lib/python3.11/json/encoder.py', ROOT)).toEqual({
      file: 'json/encoder.py',
      own: false,
      driver: false,
    });
    expect(framePath('/home/u/proj/.venv/lib/python3.12/site-packages/numpy/core/x.py', ROOT).file).toBe('numpy/core/x.py');
    expect(framePath('file:///tmp/evolve-sbx-Ab12/node_modules/lodash/sortBy.js', ROOT)).toEqual({
      file: 'lodash/sortBy.js',
      own: false,
      driver: false,
    });
    expect(framePath('node:internal/modules/cjs/loader', ROOT).file).toBe('node:internal/modules/cjs/loader');
    expect(framePath('/opt/elsewhere/secret/tool.py', ROOT).file).toBe('tool.py');
    expect(framePath(undefined, ROOT)).toEqual({ file: undefined, own: false, driver: false });
  });

  it('does not take a sibling directory with the same prefix for the root', () => {
    expect(framePath('/tmp/evolve-sbx-Ab123/x.py', '/tmp/evolve-sbx-Ab12').file).toBe('x.py');
    expect(framePath('/tmp/evolve-sbx-Ab123/x.py', '/tmp/evolve-sbx-Ab12').own).toBe(false);
  });
});
