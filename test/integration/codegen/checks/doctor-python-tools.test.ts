// The doctor's python-tools check against the real tools venv and an empty tools dir, and the pins in
// scripts/lib/setup.sh kept equal to the versions the app expects.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorContext } from '../../../support/doctor-context';
import { DEFAULT_CHECKS } from '../../../../main/services/doctor/doctor-service';
import { pythonToolsCheck } from '../../../../main/services/doctor/python-tools-check';
import { PINNED_PYTHON_TOOLS, PYTHON_TOOLS_SETUP_COMMAND } from '../../../../main/services/codegen/checks/python-tools';

const ctx = (env: NodeJS.ProcessEnv) => doctorContext({ env });

describe('doctor python-tools check', () => {
  it('is one of the doctor checks', () => {
    expect(DEFAULT_CHECKS.map((c) => c.id)).toContain('python-tools');
  });

  it('is ok with the installed, pinned tools and names their versions', async () => {
    const r = await pythonToolsCheck.run(ctx(process.env));
    expect(r.status).toBe('ok');
    expect(r.detail).toContain(`ruff ${PINNED_PYTHON_TOOLS.ruff}, bandit ${PINNED_PYTHON_TOOLS.bandit}`);
  });

  it('warns with the setup command when the tools dir is empty', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-tools-'));
    try {
      const r = await pythonToolsCheck.run(ctx({ ...process.env, EVOLVE_TOOLS_DIR: empty }));
      expect(r).toMatchObject({ status: 'warn', detail: expect.stringContaining('not installed') });
      expect(r.hint).toContain(PYTHON_TOOLS_SETUP_COMMAND);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('uses the same pins as scripts/lib/setup.sh', () => {
    const setup = fs.readFileSync('scripts/lib/setup.sh', 'utf8');
    expect(setup).toContain(`ruff==${PINNED_PYTHON_TOOLS.ruff}`);
    expect(setup).toContain(`bandit==${PINNED_PYTHON_TOOLS.bandit}`);
  });
});
