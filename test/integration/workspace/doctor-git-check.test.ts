// The doctor's git check against the real git on PATH, a PATH without git, and version outputs it must judge.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorContext } from '../../support/doctor-context';
import { CHECKS } from '../../../main/services/doctor/checks';
import { gitCheck, gitVerdict } from '../../../main/services/doctor/git-check';

const ctx = (env: NodeJS.ProcessEnv) => doctorContext({ env });

describe('doctor git check', () => {
  it('is one of the doctor checks', () => {
    expect(CHECKS.map((c) => c.id)).toContain('git');
  });

  it('finds the real git on PATH', async () => {
    const r = await gitCheck.run(ctx(process.env));
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^git version \d+\.\d+/);
  });

  it('warns with an install hint when PATH has no git', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-nogit-'));
    try {
      const r = await gitCheck.run(ctx({ PATH: empty }));
      expect(r).toMatchObject({ status: 'warn', detail: expect.stringContaining('not found') });
      expect(r.hint).toMatch(/Install git/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('judges versions: too old and unrecognised output warn, current is ok', () => {
    const ok = (stdout: string) => gitVerdict({ ok: true, stdout, stderr: '' });
    expect(ok('git version 2.17.1\n').status).toBe('warn');
    expect(ok('git version 2.20.0\n').status).toBe('ok');
    expect(ok('git version 2.45.2.windows.1\n').status).toBe('ok');
    expect(ok('hg 6.1\n').status).toBe('warn');
  });
});
