// Runs many TypeScript solution folders in ONE node process (`node --test` on one entry that imports every test file)
// after transpiling each .ts file with the repo's TypeScript (transpileModule: no type check, that is a separate step).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { EvolveError } from '../../../common/errors';
import { addOutcome, type BatchJob, type BatchResult, type TestOutcome } from './batch';

// Top-level tests only (a failing subtest fails its parent). Test names carry "<job key>|<file>|" from the shim below.
const REPORTER = `export default async function* report(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const err = event.data.details?.error;
      yield JSON.stringify({ name: event.data.name, passed: event.type === 'test:pass',
        message: err ? String(err.cause ?? err.message ?? err).slice(0, 1500) : undefined }) + '\\n';
    }
  }
}
`;

// Each test file imports this instead of node:test: its top-level tests are named "<job key>|<file>|<name>", so one
// process can run every job (a process per file costs ~0.4 s each on a loaded 2-core machine). Top-level hooks would
// leak into other jobs' tests in a shared process, so they are refused.
const shim = (prefix: string): string => `import * as nt from 'node:test';
const PREFIX = ${JSON.stringify(prefix)};
const named = (fn) => { const wrapped = (...args) => typeof args[0] === 'string' ? fn(PREFIX + args[0], ...args.slice(1))
  : fn(PREFIX + (typeof args[0] === 'function' && args[0].name ? args[0].name : '<anonymous>'), ...args); return wrapped; };
const withModes = (fn) => Object.assign(named(fn), { skip: named(fn.skip), todo: named(fn.todo), only: named(fn.only) });
const refuse = (name) => () => { throw new Error(name + ' hooks are not supported in eval tests (one process runs many jobs)'); };
export const test = withModes(nt.test);
export const it = withModes(nt.it);
export const describe = withModes(nt.describe);
export const suite = describe;
export const mock = nt.mock;
export const before = refuse('before');
export const after = refuse('after');
export const beforeEach = refuse('beforeEach');
export const afterEach = refuse('afterEach');
export default test;
`;

// Imports every test file in turn; a file that fails to load becomes one failed test, the others still run.
const entry = (files: { spec: string; prefix: string }[]): string => `import { test } from 'node:test';
const FILES = ${JSON.stringify(files)};
for (const { spec, prefix } of FILES) {
  try {
    await import(spec);
  } catch (err) {
    test(prefix + '<load>', () => { throw err; });
  }
}
`;

export const NODE_BATCH_ENTRY = 'entry.test.js';
export const NODE_BATCH_REPORTER = 'reporter.mjs';

/** TypeScript → ES module JavaScript, types erased. */
export function transpileTs(source: string, fileName: string): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
  }).outputText;
}

/** Every file of a batch keyed by its path under the batch root: package.json, the reporter, the entry and each job's
 * transpiled files with their node:test shims. Run it with `node --test --test-reporter=<root>/reporter.mjs entry.test.js`. */
export function nodeBatchFiles(jobs: BatchJob[]): Record<string, string> {
  const files: Record<string, string> = { 'package.json': '{ "type": "module" }\n', [NODE_BATCH_REPORTER]: REPORTER };
  const testFiles: { spec: string; prefix: string }[] = [];
  for (const job of jobs) {
    for (const [name, content] of Object.entries(job.files)) {
      const js = name.endsWith('.ts') ? name.slice(0, -3) + '.js' : name;
      let code = name.endsWith('.ts') ? transpileTs(content, name) : content;
      if (js.endsWith('.test.js')) {
        const prefix = `${job.key}|${js}|`;
        files[path.posix.join(job.key, `${js}.shim.mjs`)] = shim(prefix);
        code = code.replace(/(from\s+|import\s+)(['"])node:test\2/g, `$1'./${js}.shim.mjs'`);
        testFiles.push({ spec: `./${job.key}/${js}`, prefix });
      }
      files[path.posix.join(job.key, js)] = code;
    }
  }
  files[NODE_BATCH_ENTRY] = entry(testFiles);
  return files;
}

/** The reporter's JSON lines → outcomes per job key; lines that are not a report row are ignored. */
export function parseNodeReport(text: string): Map<string, TestOutcome[]> {
  const outcomes = new Map<string, TestOutcome[]>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const row = JSON.parse(line) as { name: string; passed: boolean; message?: string };
    const [key = '', file = '', ...rest] = row.name.split('|');
    if (rest.length === 0) throw new EvolveError('INTERNAL', `node --test reported a test outside any job: ${row.name}`);
    addOutcome(outcomes, key, { file, name: rest.join('|'), passed: row.passed, ...(row.message ? { message: row.message } : {}) });
  }
  return outcomes;
}

export function runNodeTestBatch(jobs: BatchJob[], timeoutMs = 120_000): BatchResult {
  const root = mkdtempSync(path.join(tmpdir(), 'evolve-eval-ts-'));
  try {
    for (const [rel, content] of Object.entries(nodeBatchFiles(jobs))) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), content);
    }
    const report = path.join(root, 'report.jsonl');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // set when we run under a test runner; it would turn this run into a child
    delete env.NODE_OPTIONS;
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--test', `--test-reporter=${path.join(root, NODE_BATCH_REPORTER)}`, `--test-reporter-destination=${report}`, NODE_BATCH_ENTRY],
      { cwd: root, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env },
    );
    const seconds = (performance.now() - started) / 1000;
    const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.slice(-4000);
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
      throw new EvolveError('TIMEOUT', `node --test batch did not finish in ${timeoutMs} ms: ${log}`);
    }
    if (run.error) throw new EvolveError('UNAVAILABLE', `could not run node --test: ${run.error.message}`);
    if (run.signal) throw new EvolveError('INTERNAL', `node --test batch was killed by ${run.signal} (out of memory?): ${log}`);
    if (!existsSync(report)) throw new EvolveError('INTERNAL', `node --test wrote no report (exit ${run.status}): ${log}`);
    return { outcomes: parseNodeReport(readFileSync(report, 'utf8')), seconds, log };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
