// The doctor's codegen-test-runners check on this machine (pytest in the tools venv, node, bubblewrap) and its warnings
// when the tools venv is empty or there is no sandbox.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorContext } from '../../../support/doctor-context';
import { DEFAULT_CHECKS } from '../../../../main/services/doctor/doctor-service';
import { testRunnersCheck, testRunnersVerdict } from '../../../../main/services/doctor/test-runners-check';

describe('doctor codegen-test-runners check', () => {
  it('is one of the doctor checks', () => {
    expect(DEFAULT_CHECKS.map((c) => c.id)).toContain('codegen-test-runners');
  });

  it('is ok here and names both runners with their versions', async () => {
    const r = await testRunnersCheck.run(doctorContext());
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/Python: pytest \d+\.\d+\.\d+ \(tools venv\)/);
    expect(r.detail).toMatch(/TypeScript\/JavaScript: node --test \(node v\d+/);
  });

  it('warns with the setup command when the tools venv has no pytest, and names the sandbox when there is none', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-tools-'));
    try {
      const r = await testRunnersVerdict({ ...process.env, EVOLVE_TOOLS_DIR: empty });
      expect(r.status).toBe('warn');
      expect(r.detail).toContain('Python: unavailable (No pytest');
      expect(r.hint).toContain('setup_python_tools');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const none = async () => ({
      available: false,
      method: 'none' as const,
      platform: process.platform,
      runningAsRoot: false,
      tools: {},
      reasons: ['no bwrap'],
    });
    const r = await testRunnersVerdict(process.env, none);
    expect(r).toMatchObject({ status: 'warn', hint: expect.stringContaining('bubblewrap') });
    expect(r.detail).toContain('No sandbox to run tests in: no bwrap');
  });
});
