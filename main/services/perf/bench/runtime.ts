// What one benchmark repeat runs in the sandbox for a language: the interpreter, its mounts, the files and the driver
// config (pyperf in the Python tools venv; node with tinybench mounted read-only from the app's node_modules).
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EvolveError } from '../../../../common/errors';
import type { CodeVersion, InputGenerator, PerfLanguage } from '../../../../common/perf/types';
import { PYTHON_TOOLS_SETUP_COMMAND, defaultPythonToolsDir } from '../../codegen/checks/python-tools';
import { findNodeRunner, findPythonRunner } from '../../codegen/tests/environment';
import { emittedPath, prepareNodeFiles } from '../../codegen/tests/node-runner';
import { NODE_DRIVER, NODE_DRIVER_PATH, NODE_INPUT_PATH } from './node-driver';
import { PY_DRIVER, PY_DRIVER_PATH, PY_INPUT_PATH, pythonModuleName } from './python-driver';

/** Everything of one repeat's sandbox run except the per-repeat config (n, seed, nonce, batch sizes). */
export interface RepeatPlan {
  files: Record<string, string>;
  argv: string[];
  env: Record<string, string>;
  readOnlyPaths: string[];
  /** Driver config shared by every repeat of this version. */
  config: Record<string, string>;
}

export interface BenchRuntime {
  tool: 'pyperf' | 'tinybench';
  plan(version: CodeVersion, which: 'before' | 'after'): RepeatPlan;
}

function hasPyperf(venv: string): boolean {
  const lib = path.join(venv, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((d) => d.startsWith('python') && existsSync(path.join(lib, d, 'site-packages', 'pyperf')));
}

function checkModule(version: CodeVersion, which: string): void {
  if (!(version.module in version.files)) {
    throw new EvolveError('INVALID_ARGUMENT', `The ${which} version has no file ${version.module} (its module)`);
  }
}

/** pyperf from the app's Python tools venv (set up by setup_python_tools); UNAVAILABLE with the setup command if not. */
function pythonRuntime(inputs: InputGenerator, toolsDir: string): BenchRuntime {
  const found = findPythonRunner(undefined, toolsDir);
  if (!found.ok || found.runner.kind !== 'python' || !hasPyperf(found.runner.readOnlyPaths[0]!)) {
    throw new EvolveError(
      'UNAVAILABLE',
      `pyperf is not installed in the Python tools venv ${toolsDir}; install it with: ${PYTHON_TOOLS_SETUP_COMMAND}`,
      { dir: toolsDir, setupCommand: PYTHON_TOOLS_SETUP_COMMAND },
    );
  }
  const runner = found.runner;
  return {
    tool: 'pyperf',
    plan(version, which) {
      checkModule(version, which);
      const module = pythonModuleName(version.module);
      if (!module) {
        throw new EvolveError(
          'INVALID_ARGUMENT',
          `The ${which} version's module ${version.module} is not an importable Python module path (a/b.py)`,
        );
      }
      return {
        files: { ...version.files, [PY_INPUT_PATH]: inputs.source, [PY_DRIVER_PATH]: PY_DRIVER },
        argv: [runner.python, PY_DRIVER_PATH],
        env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
        readOnlyPaths: runner.readOnlyPaths,
        config: { generator: PY_INPUT_PATH, module, function: version.function },
      };
    },
  };
}

/** tinybench's entry file in the app's own node_modules (mounted read-only; its package has no dependencies). */
export function tinybenchEntry(): string {
  try {
    return realpathSync(createRequire(__filename).resolve('tinybench'));
  } catch {
    throw new EvolveError('UNAVAILABLE', 'tinybench is not installed in the app (npm dependency tinybench missing)');
  }
}

async function nodeRuntime(language: PerfLanguage, inputs: InputGenerator): Promise<BenchRuntime> {
  const found = await findNodeRunner();
  if (!found.ok || found.runner.kind !== 'node') {
    throw new EvolveError('UNAVAILABLE', found.ok ? 'No Node.js runner' : found.reason);
  }
  const runner = found.runner;
  const tinybench = tinybenchEntry();
  // dist/index.js → the package folder.
  const tinybenchDir = path.dirname(path.dirname(tinybench));
  const inputFile = `${NODE_INPUT_PATH}${language === 'typescript' ? '.ts' : '.js'}`;
  return {
    tool: 'tinybench',
    plan(version, which) {
      checkModule(version, which);
      const prepared = prepareNodeFiles([
        ...Object.entries(version.files).map(([p, content]) => ({ path: p, content })),
        { path: inputFile, content: inputs.source },
      ]);
      const [bad, why] = [...prepared.syntaxErrors][0] ?? [];
      if (bad !== undefined) {
        const what = bad === inputFile ? 'The input generator' : `The ${which} version's ${bad}`;
        throw new EvolveError('INVALID_ARGUMENT', `${what} does not parse:\n${why ?? ''}`);
      }
      return {
        files: { ...prepared.files, [NODE_DRIVER_PATH]: NODE_DRIVER },
        argv: [runner.node, NODE_DRIVER_PATH],
        env: {
          NODE_OPTIONS: '--disable-wasm-trap-handler --experimental-detect-module --disable-warning=ExperimentalWarning',
          NO_COLOR: '1',
        },
        readOnlyPaths: [...runner.readOnlyPaths, tinybenchDir],
        config: {
          tinybench,
          generator: emittedPath(inputFile),
          module: emittedPath(version.module),
          function: version.function,
        },
      };
    },
  };
}

export async function benchRuntime(
  language: PerfLanguage,
  inputs: InputGenerator,
  toolsDir = defaultPythonToolsDir(),
): Promise<BenchRuntime> {
  return language === 'python' ? pythonRuntime(inputs, toolsDir) : nodeRuntime(language, inputs);
}
