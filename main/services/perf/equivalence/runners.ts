// Which interpreter runs the proof: a Python with Hypothesis and coverage.py (the project's venv when it has them, else
// the app's tools venv with the project's site-packages appended), or node plus the app's own fast-check.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PYTHON_TOOLS_SETUP_COMMAND } from '../../codegen/checks/python-tools';
import { findNodeRunner, findPythonRunner, PROJECT_VENV_DIRS, type NodeRunner, type PythonRunner } from '../../codegen/tests/environment';

export type EquivalenceRunner =
  | { kind: 'python'; runner: PythonRunner; extraSitePackages: string[] }
  | { kind: 'node'; runner: NodeRunner; fastCheckEntry: string; mounts: string[] };
export type EquivalenceRunnerLookup = { ok: true; found: EquivalenceRunner } | { ok: false; reason: string };

/** site-packages dirs of a venv, by Python version dir name ('python3.11' → its site-packages). */
function sitePackages(venv: string): Map<string, string> {
  const lib = path.join(venv, 'lib');
  const out = new Map<string, string>();
  for (const d of existsSync(lib) ? readdirSync(lib).filter((x) => x.startsWith('python')) : []) {
    const site = path.join(lib, d, 'site-packages');
    if (existsSync(site)) out.set(d, site);
  }
  return out;
}

const hasProofTools = (venv: string): boolean =>
  [...sitePackages(venv).values()].some((s) => existsSync(path.join(s, 'hypothesis')) && existsSync(path.join(s, 'coverage')));

const venvOf = (runner: PythonRunner): string => path.dirname(path.dirname(runner.python));

export function findPythonProofRunner(projectRoot?: string, toolsDir?: string): EquivalenceRunnerLookup {
  const project = projectRoot ? findPythonRunner(projectRoot, toolsDir) : undefined;
  if (
    project?.ok &&
    project.runner.kind === 'python' &&
    project.runner.label.includes('project') &&
    hasProofTools(venvOf(project.runner))
  ) {
    return { ok: true, found: { kind: 'python', runner: project.runner, extraSitePackages: [] } };
  }
  const tools = findPythonRunner(undefined, toolsDir);
  if (!tools.ok || tools.runner.kind !== 'python' || !hasProofTools(venvOf(tools.runner))) {
    return {
      ok: false,
      reason: `No Python with Hypothesis and coverage.py (neither the project's venv nor the tools venv): run ${PYTHON_TOOLS_SETUP_COMMAND}.`,
    };
  }
  const runner = tools.runner;
  // The project's packages stay importable when its venv has the tools venv's Python version (a compiled package of
  // another version would not load); they come after the tools venv's own, so its Hypothesis wins.
  const toolsVersions = [...sitePackages(venvOf(runner)).keys()];
  const extra: string[] = [];
  const mounts: string[] = [];
  for (const name of projectRoot ? PROJECT_VENV_DIRS : []) {
    let dir: string;
    try {
      dir = realpathSync(path.join(projectRoot!, name));
    } catch {
      continue;
    }
    for (const [version, site] of sitePackages(dir)) {
      if (toolsVersions.includes(version)) {
        extra.push(site);
        mounts.push(dir);
      }
    }
    if (extra.length > 0) break;
  }
  return {
    ok: true,
    found: { kind: 'python', runner: { ...runner, readOnlyPaths: [...runner.readOnlyPaths, ...mounts] }, extraSitePackages: extra },
  };
}

interface PackageJson {
  exports?: { '.'?: { import?: { default?: string } | string } };
  module?: string;
}

/** fast-check's ES module entry and the package dirs to mount (fast-check and its one dependency, pure-rand). */
export function fastCheckLocation(): { entry: string; mounts: string[] } | undefined {
  try {
    const req = createRequire(__filename);
    const pkgFile = realpathSync(req.resolve('fast-check/package.json'));
    const pkg = req(pkgFile) as PackageJson;
    const imp = pkg.exports?.['.']?.import;
    const rel = (typeof imp === 'string' ? imp : imp?.default) ?? pkg.module ?? './lib/fast-check.js';
    const dir = path.dirname(pkgFile);
    const pureRand = path.dirname(realpathSync(createRequire(pkgFile).resolve('pure-rand/package.json')));
    return { entry: path.join(dir, rel), mounts: [dir, pureRand] };
  } catch {
    return undefined;
  }
}

export async function findNodeProofRunner(projectRoot?: string): Promise<EquivalenceRunnerLookup> {
  const found = await findNodeRunner(projectRoot);
  if (!found.ok || found.runner.kind !== 'node') return { ok: false, reason: found.ok ? 'no node' : found.reason };
  const fc = fastCheckLocation();
  if (!fc) return { ok: false, reason: "fast-check is not installed with the app (npm dependency 'fast-check')." };
  return { ok: true, found: { kind: 'node', runner: found.runner, fastCheckEntry: fc.entry, mounts: fc.mounts } };
}
