// Finds the app-owned Python tools venv (ruff, Bandit and the Python that byte-compiles) that
// `setup_python_tools` in scripts/lib/setup.sh installs, and learns the real tool versions once per venv.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvolveError } from '../../../../common/errors';
import { runTool } from './run-tool';

/** The versions setup_python_tools pins (scripts/lib/setup.sh PYTHON_TOOL_PINS; a test keeps the two equal). */
export const PINNED_PYTHON_TOOLS = { ruff: '0.17.5', bandit: '1.9.4' } as const;

export const PYTHON_TOOLS_SETUP_COMMAND = "bash -c 'source scripts/lib/setup.sh && setup_python_tools'";

export interface PythonTools {
  dir: string;
  python: string;
  ruff: string;
  bandit: string;
  /** "3.11" from the venv's pyvenv.cfg: ruff's --target-version follows the Python that byte-compiles. */
  pythonVersion: string;
  versions: { python: string; ruff: string; bandit: string };
}

/** EVOLVE_TOOLS_DIR/py, default ~/.cache/evolve-studio/tools/py (the same rule as setup.sh). */
export function defaultPythonToolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(
    env.EVOLVE_TOOLS_DIR ? path.resolve(env.EVOLVE_TOOLS_DIR) : path.join(os.homedir(), '.cache', 'evolve-studio', 'tools'),
    'py',
  );
}

function binPath(dir: string, name: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', `${name}.exe`) : path.join(dir, 'bin', name);
}

export function pythonToolsUnavailable(dir: string, missing: string): EvolveError {
  return new EvolveError(
    'UNAVAILABLE',
    `Python check tools are not installed (${missing} missing in ${dir}); generated Python stays unchecked. Install them with: ${PYTHON_TOOLS_SETUP_COMMAND}`,
    { tool: missing, dir, setupCommand: PYTHON_TOOLS_SETUP_COMMAND },
  );
}

const cache = new Map<string, Promise<PythonTools>>();

/** The tools in `dir` (default: defaultPythonToolsDir()), or a typed UNAVAILABLE naming the setup command. */
export function locatePythonTools(dir = defaultPythonToolsDir()): Promise<PythonTools> {
  const key = path.resolve(dir);
  let found = cache.get(key);
  if (!found) {
    found = probeTools(key);
    cache.set(key, found);
    // A failed lookup is retried next time (the user may run the setup command meanwhile).
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function probeTools(dir: string): Promise<PythonTools> {
  const python = binPath(dir, 'python');
  const ruff = binPath(dir, 'ruff');
  const bandit = binPath(dir, 'bandit');
  for (const [name, p] of [
    ['python', python],
    ['ruff', ruff],
    ['bandit', bandit],
  ] as const) {
    if (!existsSync(p)) throw pythonToolsUnavailable(dir, name);
  }
  const cfg = existsSync(path.join(dir, 'pyvenv.cfg')) ? readFileSync(path.join(dir, 'pyvenv.cfg'), 'utf8') : '';
  const full = /^version(?:_info)?\s*=\s*(\d+\.\d+(?:\.\d+)?)/m.exec(cfg)?.[1];
  const opts = { cwd: dir, timeoutMs: 20_000 };
  const [ruffV, banditV, pyV] = await Promise.all([
    runTool(ruff, ['--version'], opts),
    runTool(bandit, ['--version'], opts),
    full ? Promise.resolve({ code: 0, stdout: `Python ${full}`, stderr: '' }) : runTool(python, ['--version'], opts),
  ]).catch((e: unknown) => {
    throw e instanceof EvolveError && e.code === 'UNAVAILABLE' ? pythonToolsUnavailable(dir, 'a tool') : e;
  });
  const version = (out: string, name: string): string => {
    const v = /(\d+\.\d+\.\d+)/.exec(out)?.[1];
    if (!v) throw pythonToolsUnavailable(dir, `${name} (it did not report a version)`);
    return v;
  };
  const pythonFull = version(pyV.stdout + pyV.stderr, 'python');
  return {
    dir,
    python,
    ruff,
    bandit,
    pythonVersion: pythonFull.split('.').slice(0, 2).join('.'),
    versions: { python: pythonFull, ruff: version(ruffV.stdout, 'ruff'), bandit: version(banditV.stdout, 'bandit') },
  };
}
