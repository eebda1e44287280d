// Static checks for generated Python: the interpreter's own compile step (py_compile's check, no .pyc written)
// and ruff with our rule set only (--isolated: no pyproject.toml / ruff.toml / user config is read).
import path from 'node:path';
import { z } from 'zod';
import type { CheckResult, CodeFile, Finding } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { hasExt, materialise, validateFiles } from './files';
import { locatePythonTools } from './python-tools';
import { checkResult, type CheckOptions } from './result';
import { parseToolJson, runTool } from './run-tool';
import { ruffSeverity } from './severity';

export const PYTHON_EXTS = ['.py', '.pyi'] as const;

/**
 * The ruff rule set, and why:
 * - E4, E7, E9 — pycodestyle's import, statement and syntax/IO errors (ruff's own default subset; no pure style).
 * - F — pyflakes: undefined names, unused imports and variables, redefinitions, bad format strings.
 * - B — flake8-bugbear: mutable default arguments, loop-variable closures, `except:` swallowing, and other likely bugs.
 * - PLE — pylint errors: things that fail at run time (bad `__all__`, return in `__init__`, misplaced `await` ...).
 * - ASYNC — blocking calls and misuse inside async functions.
 * Not selected: formatting (E1–E3, W), naming, docstrings (a style the project may not share), and S (flake8-bandit):
 * Bandit itself runs in the security scan.
 */
export const RUFF_RULES = ['E4', 'E7', 'E9', 'F', 'B', 'PLE', 'ASYNC'] as const;

export interface PythonCheckOptions extends CheckOptions {
  /** The tools venv (default: EVOLVE_TOOLS_DIR/py or ~/.cache/evolve-studio/tools/py). */
  toolsDir?: string;
}

/** Compiles every file with `compile()` and prints [{file, line, column, message}] as JSON; runs with -I (no site). */
const COMPILE_SCRIPT = `
import json, sys
out = []
for p in sys.argv[1:]:
    try:
        with open(p, 'rb') as fh:
            compile(fh.read(), p, 'exec', dont_inherit=True)
    except SyntaxError as e:
        out.append({'file': p, 'line': e.lineno or 0, 'column': e.offset or 0, 'message': type(e).__name__ + ': ' + str(e.msg)})
    except ValueError as e:
        out.append({'file': p, 'line': 0, 'column': 0, 'message': 'ValueError: ' + str(e)})
print(json.dumps(out))
`;

const CompileOut = z.array(z.object({ file: z.string(), line: z.number(), column: z.number(), message: z.string() }));
const RuffOut = z.array(
  z.object({
    code: z.string().nullable(),
    message: z.string(),
    filename: z.string(),
    location: z.object({ row: z.number(), column: z.number() }).nullable(),
  }),
);

/** py_compile + ruff on the .py/.pyi files; other files are ignored. A missing tool is UNAVAILABLE, never a pass. */
export async function checkPython(input: CodeFile[], opts: PythonCheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const files = validateFiles(input).filter((f) => hasExt(f, PYTHON_EXTS));
  if (files.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'No Python files to check (.py or .pyi)');
  const tools = await locatePythonTools(opts.toolsDir);
  const ws = await materialise(files);
  try {
    const run = { cwd: ws.dir, timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal };
    const rels = files.map((f) => f.path);
    const [compiled, ruffed] = await Promise.all([
      runTool(tools.python, ['-I', '-B', '-c', COMPILE_SCRIPT, ...rels], run),
      runTool(
        tools.ruff,
        [
          'check',
          '--isolated',
          '--no-cache',
          '--no-fix',
          '--output-format',
          'json',
          '--target-version',
          `py${tools.pythonVersion.replace('.', '')}`,
          '--select',
          RUFF_RULES.join(','),
          '--',
          ...rels,
        ],
        run,
      ),
    ]);
    if (compiled.code !== 0) throw new EvolveError('INTERNAL', `python compile step failed: ${compiled.stderr.slice(0, 400)}`);
    // ruff: 0 = clean, 1 = findings, 2 = it could not run.
    if (ruffed.code > 1) throw new EvolveError('INTERNAL', `ruff failed (exit ${ruffed.code}): ${ruffed.stderr.slice(0, 400)}`);
    const findings: Finding[] = [];
    for (const c of CompileOut.parse(parseToolJson('python', compiled))) {
      findings.push({
        tool: 'py_compile',
        ruleId: c.message.split(':')[0] ?? 'SyntaxError',
        severity: 'high',
        file: c.file,
        line: c.line,
        column: c.column,
        message: c.message,
      });
    }
    for (const d of RuffOut.parse(parseToolJson('ruff', ruffed))) {
      findings.push({
        tool: 'ruff',
        ruleId: d.code ?? 'invalid-syntax',
        severity: ruffSeverity(d.code),
        file: toRel(ws.dir, d.filename),
        line: d.location?.row ?? 0,
        column: d.location?.column,
        message: d.message,
      });
    }
    return checkResult(
      findings,
      [
        { name: 'python', version: tools.versions.python },
        { name: 'ruff', version: tools.versions.ruff },
      ],
      started,
    );
  } finally {
    await ws.dispose();
  }
}

/** Tool output names files absolutely or relative to the temp dir; findings carry the caller's relative path. */
export function toRel(dir: string, file: string): string {
  const rel = path.isAbsolute(file) ? path.relative(dir, file) : path.normalize(file);
  return rel.split(path.sep).join('/').replace(/^\.\//, '');
}
