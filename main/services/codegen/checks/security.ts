// The security scan of generated code: Bandit (Python) or ESLint with the security plugins (TS/JS), plus
// secretlint on every file. High findings make `ok` false: the apply gate blocks them unless the user overrides.
import type { CheckResult, CodeFile, Finding, Language } from '../../../../common/codegen/types';
import { LanguageSchema } from '../../../../common/codegen/types';
import { EvolveError, isEvolveError } from '../../../../common/errors';
import { runBandit } from './bandit';
import { eslintVersion, JS_TS_EXTS, runEslint } from './eslint';
import { hasExt, validateFiles } from './files';
import { PYTHON_EXTS, type PythonCheckOptions } from './python';
import { locatePythonTools } from './python-tools';
import { checkResult } from './result';
import { runSecretlint, SECRETLINT_VERSION } from './secrets';

export type ScanOptions = PythonCheckOptions;

/**
 * Python, TypeScript and JavaScript get a code scanner; Go, Rust, Java and C++ get the secrets scan only (no engine
 * for them is installed here), which the result says by listing only secretlint among its tools.
 */
export async function scanSecurity(input: CodeFile[], lang: Language, opts: ScanOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const language = LanguageSchema.safeParse(lang);
  if (!language.success) throw new EvolveError('INVALID_ARGUMENT', `Unknown language: ${String(lang)}`);
  const files = validateFiles(input);
  if (files.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'No files to scan');
  const findings: Finding[] = [];
  const tools: { name: string; version: string }[] = [];
  if (language.data === 'python') {
    const py = files.filter((f) => hasExt(f, PYTHON_EXTS));
    if (py.length > 0) {
      const pt = await locatePythonTools(opts.toolsDir).catch((e: unknown) => {
        // No Bandit (a packaged install without the Python tools): the rest of the round still counts, and the
        // missing scan is a visible medium finding (it lowers the score, names the setup command) — never a pass.
        if (isEvolveError(e) && e.code === 'UNAVAILABLE') return e;
        throw e;
      });
      if (pt instanceof EvolveError) {
        findings.push({
          tool: 'bandit',
          ruleId: 'not-run',
          severity: 'medium',
          file: py[0]!.path,
          line: 0,
          message: `Not security-scanned: ${pt.message}`,
        });
      } else {
        findings.push(...(await runBandit(py, pt, { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal })));
        tools.push({ name: 'bandit', version: pt.versions.bandit });
      }
    }
  } else if (language.data === 'typescript' || language.data === 'javascript') {
    const code = files.filter((f) => hasExt(f, JS_TS_EXTS));
    if (code.length > 0) {
      findings.push(...(await runEslint(code, 'security')));
      tools.push({ name: 'eslint', version: eslintVersion() });
    }
  }
  if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
  findings.push(...(await runSecretlint(files)));
  tools.push({ name: 'secretlint', version: SECRETLINT_VERSION });
  return checkResult(findings, tools, started);
}
