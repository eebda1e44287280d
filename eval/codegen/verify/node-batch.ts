// Runs many TypeScript solution folders in ONE `node --test` invocation after transpiling each .ts file with the
// repo's TypeScript (transpileModule: no type check, that is a separate step); per-test outcomes come from a reporter.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { EvolveError } from '../../../common/errors';
import { addOutcome, type BatchJob, type BatchResult, type TestOutcome } from './batch';

// Top-level tests only (a failing subtest fails its parent); a file that fails to load is reported as a failed test.
const REPORTER = `export default async function* report(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const err = event.data.details?.error;
      yield JSON.stringify({ file: event.data.file ?? '', name: event.data.name, passed: event.type === 'test:pass',
        message: err ? String(err.cause ?? err.message ?? err).slice(0, 1500) : undefined }) + '\\n';
    }
  }
}
`;

/** TypeScript → ES module JavaScript, types erased. */
export function transpileTs(source: string, fileName: string): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
  }).outputText;
}

export function runNodeTestBatch(jobs: BatchJob[], timeoutMs = 120_000): BatchResult {
  const root = mkdtempSync(path.join(tmpdir(), 'evolve-eval-ts-'));
  try {
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(path.join(root, 'reporter.mjs'), REPORTER);
    const testFiles: string[] = [];
    for (const job of jobs) {
      const dir = path.join(root, job.key);
      mkdirSync(dir, { recursive: true });
      for (const [name, content] of Object.entries(job.files)) {
        const js = name.endsWith('.ts') ? name.slice(0, -3) + '.js' : name;
        writeFileSync(path.join(dir, js), name.endsWith('.ts') ? transpileTs(content, name) : content);
        if (js.endsWith('.test.js')) testFiles.push(path.join(dir, js));
      }
    }
    const report = path.join(root, 'report.jsonl');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // set when we run under a test runner; it would turn this run into a child
    delete env.NODE_OPTIONS;
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--test', `--test-reporter=${path.join(root, 'reporter.mjs')}`, `--test-reporter-destination=${report}`, ...testFiles],
      { cwd: root, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env },
    );
    const seconds = (performance.now() - started) / 1000;
    const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.slice(-4000);
    if (run.error || run.signal) throw new EvolveError('TIMEOUT', `node --test batch did not finish in ${timeoutMs} ms: ${log}`);
    if (!existsSync(report)) throw new EvolveError('INTERNAL', `node --test wrote no report (exit ${run.status}): ${log}`);
    const outcomes = new Map<string, TestOutcome[]>();
    for (const line of readFileSync(report, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { file: string; name: string; passed: boolean; message?: string };
      const rel = path.relative(root, row.file).split(path.sep).join('/');
      const key = path.posix.dirname(rel);
      const file = path.posix.basename(rel);
      addOutcome(outcomes, key, { file, name: row.name, passed: row.passed, ...(row.message ? { message: row.message } : {}) });
    }
    return { outcomes, seconds, log };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
