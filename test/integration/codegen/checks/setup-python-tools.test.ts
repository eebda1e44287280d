// setup_python_tools (scripts/lib/setup.sh): a no-op when the pinned tools are installed; without a usable Python it
// says how to retry, fails the test run's setup (test mode) and lets the app start (app mode).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPythonToolsDir } from '../../../../main/services/codegen/checks';

function setup(mode: 'app' | 'test', env: NodeJS.ProcessEnv) {
  return spawnSync('bash', ['-c', `source scripts/lib/setup.sh && setup_python_tools ${mode}`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('setup_python_tools', () => {
  it('is a no-op (nothing printed, exit 0) when the pinned tools are already installed', () => {
    const toolsDir = path.dirname(defaultPythonToolsDir());
    const r = setup('test', { EVOLVE_TOOLS_DIR: toolsDir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(toolsDir, 'py', '.pins'), 'utf8')).toMatch(/^ruff==\S+ bandit==\S+/);
  });

  it('without a usable Python: the retry command, exit 1 in test mode and 0 in app mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-tools-setup-'));
    try {
      const env = { EVOLVE_TOOLS_DIR: dir, PYTHON: path.join(dir, 'no-such-python') };
      const test = setup('test', env);
      expect(test.status).toBe(1);
      expect(test.stdout).toContain('setup_python_tools');
      expect(setup('app', env).status).toBe(0);
      expect(fs.existsSync(path.join(dir, 'py', '.pins'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
