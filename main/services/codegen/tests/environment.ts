// Finds the test runner of a language (pytest in the project's venv or the tools venv; node --test) by looking at files
// only — nothing of the project is executed outside the sandbox — and says what the sandbox must mount for it.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Language } from '../../../../common/codegen/types';
import { defaultPythonToolsDir, PYTHON_TOOLS_SETUP_COMMAND } from '../checks/python-tools';
import { sandboxSupport, type SandboxSupport } from '../sandbox';
import type { TestEnvironment } from './types';

/** Directories the sandbox always mounts (sandbox/support.ts SYSTEM_TOP_DIRS); anything else must be bound explicitly. */
const SYSTEM_PREFIXES = ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib32/', '/lib64/', '/libx32/', '/etc/'];
const underSystem = (p: string): boolean => SYSTEM_PREFIXES.some((d) => p.startsWith(d));

/** Project venv folders, in the order they are tried. */
export const PROJECT_VENV_DIRS = ['.venv', 'venv'] as const;

export interface PythonRunner {
  kind: 'python';
  /** The venv's python, by its real path (the sandbox mounts real paths). */
  python: string;
  /** e.g. 'pytest 9.2.0 (project .venv)'. */
  label: string;
  /** The venv and, when it lives outside /usr, the base interpreter's prefix (pyenv, conda, a custom build). */
  readOnlyPaths: string[];
}

export interface NodeRunner {
  kind: 'node';
  node: string;
  label: string;
  readOnlyPaths: string[];
  /** The project's node_modules, linked into the run's temp dir so bare imports resolve. */
  nodeModules?: string;
}

export type Runner = PythonRunner | NodeRunner;
export type RunnerLookup = { ok: true; runner: Runner } | { ok: false; runner: string; reason: string };

interface VenvInfo {
  dir: string;
  python: string;
  pytest?: string;
  basePrefix?: string;
}

/** A venv by its files: bin/python, pyvenv.cfg's home, and pytest's dist-info version in site-packages. */
function inspectVenv(dir: string): VenvInfo | null {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return null;
  }
  const python = path.join(real, 'bin', 'python');
  if (!existsSync(python) || !existsSync(path.join(real, 'pyvenv.cfg'))) return null;
  const cfg = readFileSync(path.join(real, 'pyvenv.cfg'), 'utf8');
  const home = /^home\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim();
  let basePrefix: string | undefined;
  try {
    // home is the base interpreter's bin dir; its parent is the prefix with the standard library.
    const prefix = home ? realpathSync(path.dirname(home)) : path.dirname(path.dirname(realpathSync(python)));
    if (!underSystem(`${prefix}/`) && prefix !== '/usr') basePrefix = prefix;
  } catch {
    /* the base interpreter is gone: the run will say so */
  }
  let pytest: string | undefined;
  const lib = path.join(real, 'lib');
  for (const pyDir of existsSync(lib) ? readdirSync(lib).filter((d) => d.startsWith('python')) : []) {
    const site = path.join(lib, pyDir, 'site-packages');
    if (!existsSync(path.join(site, 'pytest'))) continue;
    const dist = (existsSync(site) ? readdirSync(site) : []).find((d) => /^pytest-\d[^-]*\.dist-info$/.test(d));
    pytest = dist ? dist.slice('pytest-'.length, -'.dist-info'.length) : 'unknown version';
  }
  return { dir: real, python, pytest, basePrefix };
}

function pythonRunner(v: VenvInfo, where: string): PythonRunner {
  return {
    kind: 'python',
    python: v.python,
    label: `pytest ${v.pytest ?? '?'} (${where})`,
    readOnlyPaths: [v.dir, ...(v.basePrefix ? [v.basePrefix] : [])],
  };
}

/** pytest from the project's .venv / venv, else from the tools venv (PYTHON_TOOL_PINS), else why not. */
export function findPythonRunner(projectRoot?: string, toolsDir = defaultPythonToolsDir()): RunnerLookup {
  const notes: string[] = [];
  for (const name of projectRoot ? PROJECT_VENV_DIRS : []) {
    const v = inspectVenv(path.join(projectRoot!, name));
    if (!v) continue;
    if (v.pytest) return { ok: true, runner: pythonRunner(v, `project ${name}`) };
    notes.push(`project ${name} has no pytest`);
  }
  const tools = inspectVenv(toolsDir);
  if (tools?.pytest) {
    return { ok: true, runner: pythonRunner(tools, notes.length ? `tools venv; ${notes.join(', ')}` : 'tools venv') };
  }
  return {
    ok: false,
    runner: 'pytest',
    reason:
      `No pytest to run Python tests: ${[...notes, `none in the tools venv ${toolsDir}`].join('; ')}. ` +
      `Install it in the project's venv (pip install pytest) or run ${PYTHON_TOOLS_SETUP_COMMAND}.`,
  };
}

function nodeOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue; // a relative PATH entry could point into a project
    const p = path.join(dir, 'node');
    try {
      if (statSync(p).isFile()) return realpathSync(p);
    } catch {
      /* next */
    }
  }
  return undefined;
}

function versionOf(node: string): Promise<string> {
  if (node === realpathSync(process.execPath) && !process.versions.electron) return Promise.resolve(process.version);
  return new Promise((resolve) => {
    execFile(node, ['--version'], { timeout: 10_000, env: { PATH: '/usr/bin:/bin' } }, (err, out) =>
      resolve(err ? 'unknown version' : String(out).trim()),
    );
  });
}

/**
 * The node that runs `node --test`: this process's own binary when it is Node, else `node` on PATH. Inside Electron
 * the app's binary is Electron (ELECTRON_RUN_AS_NODE could serve, not verified here), so a system Node is required.
 */
export async function findNodeRunner(projectRoot?: string): Promise<RunnerLookup> {
  const node = process.versions.electron ? nodeOnPath() : realpathSync(process.execPath);
  if (!node) {
    return {
      ok: false,
      runner: 'node --test',
      reason: 'Node.js is not installed (no `node` on PATH): TypeScript/JavaScript tests cannot run.',
    };
  }
  // A node outside /usr (nvm, a tarball) is mounted with its whole prefix (its lib/ holds nothing we need, but the
  // binary may be a symlink into it).
  const prefix = path.dirname(path.dirname(node));
  const nodeModules = projectRoot ? path.join(projectRoot, 'node_modules') : undefined;
  const hasModules = nodeModules !== undefined && existsSync(nodeModules);
  const realModules = hasModules ? realpathSync(nodeModules) : undefined;
  return {
    ok: true,
    runner: {
      kind: 'node',
      node,
      label: `node --test (node ${await versionOf(node)}${realModules ? ', project node_modules' : ''})`,
      readOnlyPaths: [...(underSystem(node) ? [] : [prefix]), ...(realModules ? [realModules] : [])],
      nodeModules: realModules,
    },
  };
}

export async function findRunner(language: Language, projectRoot?: string, toolsDir?: string): Promise<RunnerLookup> {
  if (language === 'python') return findPythonRunner(projectRoot, toolsDir);
  if (language === 'typescript' || language === 'javascript') return findNodeRunner(projectRoot);
  return { ok: false, runner: 'none', reason: `No test runner for ${language} yet: its code gets a compile check only.` };
}

/** What runTests would use for this language and project, and why it cannot run when not — for doctor and the UI. */
export async function testEnvironment(
  language: Language,
  projectRoot?: string,
  deps: { support?: () => Promise<SandboxSupport>; toolsDir?: string } = {},
): Promise<TestEnvironment> {
  const found = await findRunner(language, projectRoot, deps.toolsDir);
  if (!found.ok) return { available: false, runner: found.runner, reason: found.reason };
  const support = await (deps.support ?? sandboxSupport)();
  if (!support.available) {
    return { available: false, runner: found.runner.label, reason: `No sandbox to run tests in: ${support.reasons.join(' ')}` };
  }
  return { available: true, runner: found.runner.label };
}
