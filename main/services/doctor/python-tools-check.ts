// The doctor's check of the Python tools that check generated code (ruff and Bandit in the app-owned tools venv):
// without them generated Python is reported as unchecked, so the user is told how to install them.
import { EvolveError } from '../../../common/errors';
import { defaultPythonToolsDir, locatePythonTools, PINNED_PYTHON_TOOLS, PYTHON_TOOLS_SETUP_COMMAND } from '../codegen/checks/python-tools';
import type { CheckDef } from './checks';

export const pythonToolsCheck: CheckDef = {
  id: 'python-tools',
  label: 'Python code checks (ruff, Bandit)',
  async run(ctx) {
    const dir = defaultPythonToolsDir(ctx.env);
    try {
      const t = await locatePythonTools(dir);
      const detail = `ruff ${t.versions.ruff}, bandit ${t.versions.bandit} (Python ${t.versions.python}) in ${t.dir}`;
      if (t.versions.ruff !== PINNED_PYTHON_TOOLS.ruff || t.versions.bandit !== PINNED_PYTHON_TOOLS.bandit)
        return {
          status: 'warn',
          detail: `${detail}; expected ruff ${PINNED_PYTHON_TOOLS.ruff}, bandit ${PINNED_PYTHON_TOOLS.bandit}`,
          hint: `Reinstall the pinned versions: ${PYTHON_TOOLS_SETUP_COMMAND}`,
        };
      return { status: 'ok', detail };
    } catch (e) {
      const why = e instanceof EvolveError ? e.message : String(e);
      return {
        status: 'warn',
        detail: `not installed in ${dir}: generated Python is not linted or security-scanned (${why.split(';')[0]})`,
        hint: `Run ${PYTHON_TOOLS_SETUP_COMMAND} (needs python3 with venv; Debian: apt install python3-venv).`,
      };
    }
  },
};
