// `evolve doctor` reports the codegen sandbox: ok with the isolation in use here, a warning with the reasons otherwise.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../main/services/codegen/sandbox';
import { CHECKS, type CheckContext } from '../../../main/services/doctor/checks';
import { sandboxCheck, sandboxVerdict } from '../../../main/services/doctor/sandbox-check';

describe('doctor sandbox check', () => {
  it('is one of the doctor checks and matches what this machine offers', async () => {
    expect(CHECKS.map((c) => c.id)).toContain('sandbox');
    const support = await sandboxSupport({ refresh: true });
    const r = await sandboxCheck.run({} as CheckContext);
    expect(r.status).toBe(support.available ? 'ok' : 'warn');
    if (support.available) expect(r.detail).toContain('bubblewrap');
  });

  it('warns with the install hint when there is no isolation', () => {
    const r = sandboxVerdict({
      available: false,
      method: 'none',
      platform: 'linux',
      runningAsRoot: false,
      tools: {},
      reasons: ['bubblewrap (bwrap) is not installed. Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap).'],
    });
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('apt-get install bubblewrap');
  });
});
