// Validates the problem set for real: each reference passes its examples and hidden tests, every hidden test fails
// against some deliberately wrong answer, prompts keep hidden tests and references out, signatures are kept.
import { exampleTestSource, renderPrompt } from '../prompt';
import { SOLUTION_FILE, type CodegenProblem, type ProblemLanguage } from '../schema';
import { type BatchJob, type BatchResult, type TestOutcome } from './batch';
import { naiveVariants } from './naive';
import { runNodeTestBatch } from './node-batch';
import { runPytestBatch } from './pytest-batch';

const TEST_FILES: Record<ProblemLanguage, { examples: string; hidden: string; ranAs: (f: string) => string }> = {
  python: { examples: 'test_examples.py', hidden: 'test_hidden.py', ranAs: (f) => f },
  typescript: { examples: 'examples.test.ts', hidden: 'hidden.test.ts', ranAs: (f) => f.replace(/\.ts$/, '.js') },
};

export interface VerifyReport {
  /** One readable line per defect; empty when the set is sound. */
  defects: string[];
  problems: number;
  referenceTests: number;
  naiveRuns: number;
  seconds: number;
}

export interface VerifyOptions {
  python?: string;
  timeoutMs?: number;
}

export function verifyLanguage(all: CodegenProblem[], lang: ProblemLanguage, opts: VerifyOptions = {}): VerifyReport {
  const problems = all.filter((p) => p.lang === lang);
  const names = TEST_FILES[lang];
  const jobs: BatchJob[] = [];
  for (const p of problems) {
    const ref: Record<string, string> = { ...p.files, [SOLUTION_FILE[lang]]: p.reference, [names.hidden]: p.hiddenTests };
    if (p.examples.length > 0) ref[names.examples] = exampleTestSource(p);
    jobs.push({ key: `reference/${p.id}`, files: ref });
    for (const v of naiveVariants(p)) {
      jobs.push({ key: `${v.name}/${p.id}`, files: { ...p.files, [SOLUTION_FILE[lang]]: v.solution, [names.hidden]: p.hiddenTests } });
    }
  }
  let result: BatchResult;
  if (lang === 'python') {
    if (!opts.python) throw new Error('verifyLanguage(python) needs opts.python (see findPytestPython)');
    result = runPytestBatch(opts.python, jobs, opts.timeoutMs);
  } else {
    result = runNodeTestBatch(jobs, opts.timeoutMs);
  }

  const defects: string[] = [];
  let referenceTests = 0;
  let naiveRuns = 0;
  const inFile = (key: string, file: string): TestOutcome[] => (result.outcomes.get(key) ?? []).filter((o) => o.file === names.ranAs(file));
  for (const p of problems) {
    const hidden = inFile(`reference/${p.id}`, names.hidden);
    referenceTests += hidden.length;
    if (hidden.length === 0) defects.push(`${p.id}: reference ran no hidden tests`);
    for (const o of hidden.filter((h) => !h.passed)) defects.push(`${p.id}: reference fails hidden test ${o.name}: ${o.message ?? ''}`);
    const examples = inFile(`reference/${p.id}`, names.examples);
    if (examples.length !== p.examples.length) defects.push(`${p.id}: ${examples.length} of ${p.examples.length} examples ran`);
    for (const o of examples.filter((e) => !e.passed)) defects.push(`${p.id}: reference fails ${o.name}: ${o.message ?? ''}`);

    // Every hidden test must fail against at least one wrong answer; each wrong answer must fail the suite.
    const caught = new Set<string>();
    for (const v of naiveVariants(p)) {
      naiveRuns += 1;
      const got = new Map(inFile(`${v.name}/${p.id}`, names.hidden).map((o) => [o.name, o.passed]));
      const failed = hidden.filter((h) => got.get(h.name) !== true).map((h) => h.name);
      failed.forEach((n) => caught.add(n));
      if (hidden.length > 0 && failed.length === 0) defects.push(`${p.id}: the hidden tests all pass for the wrong answer "${v.name}"`);
    }
    for (const h of hidden) if (!caught.has(h.name)) defects.push(`${p.id}: hidden test ${h.name} passes for every wrong answer`);

    defects.push(...promptDefects(p));
  }
  return { defects, problems: problems.length, referenceTests, naiveRuns, seconds: result.seconds };
}

const ASSERTION = /assert|raises|throws|rejects|expect|equal/i;

/** Leaks and broken contracts visible without running anything: hidden-test lines or the reference in the prompt, a changed signature. */
export function promptDefects(p: CodegenProblem): string[] {
  const defects: string[] = [];
  const prompt = renderPrompt(p);
  for (const raw of p.hiddenTests.split('\n')) {
    const line = raw.trim();
    if (line.length >= 16 && ASSERTION.test(line) && prompt.includes(line))
      defects.push(`${p.id}: hidden-test line in the prompt: ${line}`);
  }
  if (prompt.includes(p.reference.trim())) defects.push(`${p.id}: the reference is in the prompt`);
  const signature = p.lang === 'python' ? /^\s*(async\s+)?def\s+(\w+)\s*\(/ : /^\s*export\s+(async\s+)?function\s+(\w+)\s*[(<]/;
  // A TypeScript prompt may show a declaration without its body: compare without a trailing "{" or ";".
  const bare = (line: string): string => line.trim().replace(/\s*[{;]$/, '');
  const refLines = new Set(p.reference.split('\n').map(bare));
  for (const raw of p.prompt.split('\n')) {
    const m = signature.exec(raw);
    if (m && m[2] === p.entryPoint && !refLines.has(bare(raw)))
      defects.push(`${p.id}: reference changes the prompt's signature ${raw.trim()}`);
  }
  return defects;
}
