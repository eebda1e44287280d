// node --test inside the sandbox: TypeScript is transpiled in process (TypeScript's transpileModule, types erased, source
// maps inline so stacks point at the .ts lines), relative imports get their .js extension, and a reporter streams one
// JSON line per top-level test (prefixed with a per-run nonce) so results survive a hang.
import path from 'node:path';
import ts from 'typescript';
import type { NodeRunner } from './environment';
import type { RawOutcome, RunnerPlan } from './runner-types';
import { stripSandboxPaths, trimNodeFailure } from './trim';

export const NODE_REPORTER_PATH = '.evolve-run/reporter.mjs';

// Runs in the parent `node --test` process. A file that fails to load is one failed test named after the file; its
// stderr (the SyntaxError / missing export) is the only account of why, so stderr is kept per file (last 6 KB).
const REPORTER = `const NONCE = process.env.EVOLVE_TEST_NONCE;
const line = (o) => NONCE + JSON.stringify(o) + '\\n';
export default async function* report(source) {
  yield line({ event: 'version', version: process.version });
  const stderr = new Map();
  for await (const event of source) {
    const d = event.data ?? {};
    if (event.type === 'test:stderr' && d.file) {
      stderr.set(d.file, ((stderr.get(d.file) ?? '') + String(d.message ?? '')).slice(-6000));
    } else if (event.type === 'test:start' && d.nesting === 0) {
      yield line({ event: 'start', file: d.file, name: d.name });
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && d.nesting === 0) {
      if (d.skip !== undefined || d.todo !== undefined) continue;
      const err = d.details?.error;
      const cause = err?.cause ?? err;
      const text = cause ? String(cause.stack ?? cause.message ?? cause) : undefined;
      const loadFailure = d.name === d.file;
      if (loadFailure) yield line({ event: 'file-done', file: d.file });
      if (loadFailure && event.type === 'test:pass') continue; // a file's wrapper, not a test
      yield line({ event: 'result', file: d.file, name: d.name, passed: event.type === 'test:pass', loadFailure,
        message: loadFailure ? (stderr.get(d.file) ?? text) : text });
    }
  }
}
`;

const TS_EXT = /\.(tsx?|mts|cts)$/;
const JS_OUT: Record<string, string> = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs' };

/** Where a source file lands after transpiling ('a/b.ts' → 'a/b.js'); JavaScript stays where it is. */
export function emittedPath(file: string): string {
  if (file.endsWith('.d.ts')) return file;
  const m = TS_EXT.exec(file);
  if (m) return file.slice(0, -m[0].length) + JS_OUT[`.${m[1]}`];
  if (file.endsWith('.jsx')) return `${file.slice(0, -4)}.js`;
  return file;
}

/**
 * TypeScript/JSX → ES module JavaScript with an inline source map (no type check here: that is checks/typescript.ts).
 * transpileModule emits something even for broken syntax, so its syntax errors are returned to be reported instead.
 */
function transpile(source: string, fileName: string): { code: string; syntaxErrors: string[] } {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      isolatedModules: true,
      jsx: ts.JsxEmit.ReactJSX,
      inlineSourceMap: true,
      inlineSources: false,
      esModuleInterop: true,
    },
  });
  const syntaxErrors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = at ? `${fileName}:${at.line + 1}:${at.character + 1}` : fileName;
      return `${where} - error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  return { code: out.outputText, syntaxErrors };
}

/**
 * Relative import specifiers → the emitted file: './x' or './x.ts' → './x.js', './dir' → './dir/index.js', so
 * ES module resolution (which needs full paths) finds what the model wrote TypeScript-style. Bare specifiers stay.
 */
export function rewriteSpecifiers(code: string, fromFile: string, emitted: ReadonlySet<string>): string {
  const dir = path.posix.dirname(fromFile);
  const resolve = (spec: string): string => {
    const base = path.posix.normalize(path.posix.join(dir, spec));
    const tries = [emittedPath(base), `${base}.js`, `${base}.mjs`, `${base}/index.js`];
    for (const t of tries) {
      if (emitted.has(t)) {
        const rel = path.posix.relative(dir, t);
        return rel.startsWith('.') ? rel : `./${rel}`;
      }
    }
    return spec;
  };
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]*)\2/g,
    (_all, lead: string, q: string, spec: string) => `${lead}${q}${resolve(spec)}${q}`,
  );
}

export interface NodeFiles {
  /** Files to write, by their emitted path. */
  files: Record<string, string>;
  /** Emitted path → the path the model wrote (for ids and stack traces). */
  renames: Map<string, string>;
  /** Source path → its TypeScript syntax errors (the file would not load; it is reported, not run). */
  syntaxErrors: Map<string, string>;
}

/** Transpiles TypeScript (and JSX) files and rewrites relative specifiers in every module file. */
export function prepareNodeFiles(input: { path: string; content: string }[]): NodeFiles {
  const emitted = new Set(input.map((f) => emittedPath(f.path)));
  const files: Record<string, string> = {};
  const renames = new Map<string, string>();
  const syntaxErrors = new Map<string, string>();
  for (const f of input) {
    const out = emittedPath(f.path);
    let code = f.content;
    if (out !== f.path) {
      renames.set(out, f.path);
      const t = transpile(f.content, f.path);
      code = t.code;
      if (t.syntaxErrors.length > 0) syntaxErrors.set(f.path, t.syntaxErrors.slice(0, 8).join('\n'));
    }
    const isModule = /\.(?:[cm]?[jt]sx?)$/.test(f.path) && !f.path.endsWith('.d.ts');
    files[out] = isModule ? rewriteSpecifiers(code, out, emitted) : code;
  }
  // No "type": node's module detection (NODE_OPTIONS below) runs ESM syntax as ESM and CommonJS as CommonJS, so a
  // model's `module.exports` works next to transpiled `export`. A project's own package.json, when given, decides.
  if (!('package.json' in files)) files['package.json'] = '{ "private": true }\n';
  return { files, renames, syntaxErrors };
}

/** The reporter, argv and environment of one node --test run over the (emitted) test files. */
export function nodePlan(runner: NodeRunner, testFiles: string[], nonce: string): RunnerPlan {
  const test = [
    runner.node,
    '--test',
    `--test-reporter=./${NODE_REPORTER_PATH}`,
    '--test-reporter-destination=stdout',
    ...testFiles.map((f) => `./${f}`),
  ];
  // The project's node_modules is mounted read-only at its own path; a link in the run's root lets bare imports
  // resolve from there (ES modules ignore NODE_PATH).
  const argv = runner.nodeModules ? ['/bin/sh', '-c', 'ln -s "$0" node_modules && exec "$@"', runner.nodeModules, ...test] : test;
  return {
    files: { [NODE_REPORTER_PATH]: REPORTER },
    argv,
    env: {
      EVOLVE_TEST_NONCE: nonce,
      NODE_OPTIONS: '--disable-wasm-trap-handler --enable-source-maps --experimental-detect-module --disable-warning=ExperimentalWarning',
      NO_COLOR: '1',
    },
    readOnlyPaths: runner.readOnlyPaths,
  };
}

interface NodeEvent {
  event: string;
  file?: string;
  name?: string;
  passed?: boolean;
  loadFailure?: boolean;
  message?: string;
  version?: string;
}

/** Parses the reporter's lines; case ids are "<file as the model wrote it>::<test name>". */
export function parseNodeOutput(stdout: string, nonce: string, renames: ReadonlyMap<string, string>): RawOutcome {
  const out: RawOutcome = {
    started: false,
    results: new Map(),
    loadErrors: [],
    lastStarted: undefined,
    hangExact: false,
    filesDone: new Set(),
    lastByFile: new Map(),
  };
  const fileOf = (f: string | undefined): string => {
    const rel = stripSandboxPaths(f ?? '');
    return renames.get(rel) ?? rel;
  };
  for (const line of stdout.split('\n')) {
    const at = line.indexOf(nonce);
    if (at < 0) continue;
    let e: NodeEvent;
    try {
      e = JSON.parse(line.slice(at + nonce.length)) as NodeEvent;
    } catch {
      continue;
    }
    if (e.event === 'version') {
      out.started = true;
      out.version = e.version;
    } else if (e.event === 'start') {
      out.lastStarted = `${fileOf(e.file)}::${e.name ?? ''}`;
    } else if (e.event === 'file-done') {
      out.filesDone?.add(fileOf(e.file));
    } else if (e.event === 'result') {
      const message = e.message ? trimNodeFailure(e.message, renames) : undefined;
      const file = fileOf(e.file);
      if (e.loadFailure) out.loadErrors.push({ file, message: message ?? 'the test file failed to load' });
      else {
        out.results.set(`${file}::${e.name ?? ''}`, { passed: e.passed === true, message });
        out.lastByFile?.set(file, e.name ?? '');
      }
    }
  }
  return out;
}

/** "dir/x.test.ts::adds" → its file. */
export function nodeCaseFile(id: string): string {
  const i = id.indexOf('::');
  return i < 0 ? id : id.slice(0, i);
}
