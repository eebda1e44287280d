// Static checks for generated TypeScript/JavaScript: the TypeScript compiler API in-process over virtual files (the
// project's tsconfig compilerOptions are read as data when given) plus ESLint with our correctness config.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import type { CheckResult, CodeFile, Finding } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { eslintVersion, JS_TS_EXTS, runEslint } from './eslint';
import { hasExt, validateFiles } from './files';
import { checkResult, type CheckOptions } from './result';
import { tscSeverity } from './severity';

export interface TypeScriptCheckOptions extends CheckOptions {
  /**
   * A project's tsconfig.json: its compilerOptions (following `extends`) are read as JSON data — nothing in the
   * project is executed — and the files are checked as if they sat next to it (its node_modules types resolve).
   */
  tsconfig?: string;
}

/** Without a project: strict modern TypeScript; JS is parsed but not type-checked (no checkJs). */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  jsx: ts.JsxEmit.ReactJSX,
  allowJs: true,
  checkJs: false,
  esModuleInterop: true,
  skipLibCheck: true,
  noFallthroughCasesInSwitch: true,
  noImplicitOverride: true,
  resolveJsonModule: true,
};

/** Options that would write files or load code: always overridden, whatever a tsconfig says. */
const FORCED: ts.CompilerOptions = {
  noEmit: true,
  incremental: false,
  composite: false,
  declaration: false,
  emitDeclarationOnly: false,
  plugins: [],
};

/** "Cannot find module" codes: without a project nothing can resolve a package, so they are informational. */
const MODULE_NOT_FOUND = new Set([2307, 2792, 7016]);

function nodeTypesRoot(): string | undefined {
  try {
    const dir = path.dirname(createRequire(__filename).resolve('@types/node/package.json'));
    return path.dirname(dir);
  } catch {
    return undefined; // a packaged app ships no @types: Node globals in generated code then read as unknown names
  }
}

function readTsconfig(file: string): { options: ts.CompilerOptions; dir: string } {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new EvolveError('NOT_FOUND', `tsconfig not found: ${abs}`);
  const read = ts.readConfigFile(abs, (p) => ts.sys.readFile(p));
  if (read.error) throw new EvolveError('INVALID_ARGUMENT', `tsconfig could not be read: ${flatten(read.error.messageText)}`);
  // Parsing reads JSON only (extends chains included); no file list is needed since we supply the root files.
  const dir = path.dirname(abs);
  const parsed = ts.parseJsonConfigFileContent({ ...(read.config as object), files: [], include: [] }, ts.sys, dir, undefined, abs);
  const fatal = parsed.errors.filter((d) => d.code !== 18002 && d.code !== 18003); // "no inputs": expected here
  if (fatal.length > 0) throw new EvolveError('INVALID_ARGUMENT', `tsconfig has errors: ${flatten(fatal[0]!.messageText)}`);
  return { options: parsed.options, dir };
}

const flatten = (m: string | ts.DiagnosticMessageChain): string => ts.flattenDiagnosticMessageText(m, '\n');

function categoryName(c: ts.DiagnosticCategory): 'error' | 'warning' | 'suggestion' | 'message' {
  return c === ts.DiagnosticCategory.Error
    ? 'error'
    : c === ts.DiagnosticCategory.Warning
      ? 'warning'
      : c === ts.DiagnosticCategory.Suggestion
        ? 'suggestion'
        : 'message';
}

/**
 * Parsed (and, once a checker ran, bound) library and dependency files, shared across checks: lib.dom and
 * @types/node alone take seconds to parse on two cores. Keyed by path, language version and mtime, so an edited
 * project file is parsed again, and by the options that change binding (a bound file is only shared between programs
 * that agree on them, as TypeScript's own DocumentRegistry does); bounded so a long session with many projects does not grow without limit.
 */
const sourceCache = new Map<string, ts.SourceFile>();
const SOURCE_CACHE_MAX = 4000;

function cachedSourceFile(
  p: string,
  lang: ts.ScriptTarget | ts.CreateSourceFileOptions,
  optionsKey: string,
  onError?: (m: string) => void,
): ts.SourceFile | undefined {
  const mtime = ts.sys.getModifiedTime?.(p)?.getTime() ?? 0;
  const version = typeof lang === 'object' ? `${lang.languageVersion}:${String(lang.impliedNodeFormat)}` : String(lang);
  const key = `${p}|${version}|${mtime}|${optionsKey}`;
  const hit = sourceCache.get(key);
  if (hit) return hit;
  const text = ts.sys.readFile(p);
  if (text === undefined) {
    onError?.(`cannot read ${p}`);
    return undefined;
  }
  const sf = ts.createSourceFile(p, text, lang, true);
  if (sourceCache.size >= SOURCE_CACHE_MAX) sourceCache.delete(sourceCache.keys().next().value as string);
  sourceCache.set(key, sf);
  return sf;
}

/** tsc diagnostics for the generated files only (a project's own errors are not ours to report). */
export function runTsc(files: CodeFile[], tsconfig?: string): Finding[] {
  const project = tsconfig ? readTsconfig(tsconfig) : undefined;
  const root = project?.dir ?? path.join(os.tmpdir(), 'evolve-tsc-virtual');
  const options: ts.CompilerOptions = { ...(project?.options ?? DEFAULT_OPTIONS), ...FORCED };
  if (!project) {
    const typeRoot = nodeTypesRoot();
    Object.assign(options, typeRoot ? { typeRoots: [typeRoot], types: ['node'] } : { types: [] });
  }
  const virtual = new Map(files.map((f) => [path.join(root, f.path), f.content]));
  const virtualDirs = new Set<string>();
  for (const p of virtual.keys())
    for (let d = path.dirname(p); !virtualDirs.has(d) && d !== path.dirname(d); d = path.dirname(d)) virtualDirs.add(d);
  const host = ts.createCompilerHost(options, true);
  const optionsKey = JSON.stringify([
    options.target,
    options.module,
    options.moduleResolution,
    options.jsx,
    options.strict,
    options.alwaysStrict,
    options.allowJs,
    options.checkJs,
    options.esModuleInterop,
    options.verbatimModuleSyntax,
  ]);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  const realpath = host.realpath?.bind(host);
  host.readFile = (p) => virtual.get(path.resolve(p)) ?? readFile(p);
  host.fileExists = (p) => virtual.has(path.resolve(p)) || fileExists(p);
  // Without a project the root is not on disk: its folders must still exist for relative imports to resolve.
  host.directoryExists = (d) => virtualDirs.has(path.resolve(d)) || (directoryExists ? directoryExists(d) : ts.sys.directoryExists(d));
  host.realpath = (p) => (virtual.has(path.resolve(p)) || virtualDirs.has(path.resolve(p)) ? p : realpath ? realpath(p) : p);
  host.getSourceFile = (p, lang, onError) => {
    const text = virtual.get(path.resolve(p));
    return text !== undefined ? ts.createSourceFile(p, text, lang, true) : cachedSourceFile(p, lang, optionsKey, onError);
  };
  host.writeFile = () => {}; // noEmit is forced; this makes sure of it
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const findings: Finding[] = [];
  // Problems of the project's configuration (a missing `types` entry, a deprecated option) are not the generated
  // code's fault: reported as info so the user sees them, without failing the check.
  const optionDiags = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const d of optionDiags) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    findings.push({
      tool: 'tsc',
      ruleId: `TS${d.code}`,
      severity: 'info',
      file: tsconfig ? path.basename(tsconfig) : '(options)',
      line: 0,
      message: flatten(d.messageText),
    });
  }
  for (const [abs, rel] of files.map((f) => [path.join(root, f.path), f.path] as const)) {
    const sf = program.getSourceFile(abs);
    if (!sf) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      let severity = tscSeverity(categoryName(d.category), d.code);
      let message = flatten(d.messageText);
      if (!project && MODULE_NOT_FOUND.has(d.code)) {
        severity = 'info';
        message += ' (no project given, so packages cannot be resolved)';
      }
      findings.push({
        tool: 'tsc',
        ruleId: `TS${d.code}`,
        severity,
        file: rel,
        line: pos ? pos.line + 1 : 0,
        column: pos ? pos.character + 1 : undefined,
        message,
      });
    }
  }
  return findings;
}

/** tsc + ESLint (our correctness config) on the TS/JS files; other files are ignored. */
export async function checkTypeScript(input: CodeFile[], opts: TypeScriptCheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const files = validateFiles(input).filter((f) => hasExt(f, JS_TS_EXTS));
  if (files.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'No TypeScript or JavaScript files to check');
  if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
  const findings = runTsc(files, opts.tsconfig);
  if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
  findings.push(...(await runEslint(files, 'lint')));
  return checkResult(
    findings,
    [
      { name: 'typescript', version: ts.version },
      { name: 'eslint', version: eslintVersion() },
    ],
    started,
  );
}
