// Measures the model-written tests the engine's selection runs on (CodeT agreement), without generating any code:
// per problem, the test-writing call exactly as the engine makes it (greedy, stopped after MODEL_TEST_CASES cases),
// its parsed suite run in the sandbox against the problem's reference (a case that fails there is wrong) and, when a
// results file gives one, against that run's single-shot answer where it failed hidden tests (a right case that fails
// it tells a wrong candidate apart). `--variant FILE` loads a module exporting `testWritingPrompt` and measures it in
// the same run, problem by problem after the engine's own prompt, so two prompts are compared on one machine state.
//   tsx eval/codegen/run/model-tests-probe.ts [--model ID|PATH] [--only a,b] [--lang python|typescript]
//     [--variant FILE] [--wrong RESULTS.json] [--out FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CodeFile } from '../../../common/codegen/types';
import { EvolveError, isEvolveError } from '../../../common/errors';
import { defaultMaxAnswerTokens, MODEL_TESTS_MAX_TOKENS } from '../../../main/services/codegen/engine/run-generation';
import { localModel } from '../../../main/services/codegen/engine/models';
import type { EngineModel } from '../../../main/services/codegen/engine/types';
import { testWritingPrompt, type AssembledPrompt, type AssembleInput } from '../../../main/services/codegen/prompt';
import { modelTestsEnd, parseModelTests, runTests } from '../../../main/services/codegen/tests';
import { loadProblems } from '../load';
import { PROBLEM_LANGUAGES, type CodegenProblem } from '../schema';
import { resolveEvalModel, startEvalModel } from './model';
import { catches, splitCases, summaryLine, type SuiteProbe } from './model-tests-stats';
import { generateInputFor } from './problem-input';
import { ResultsFileSchema } from './results';

const REPO = path.resolve(import.meta.dirname, '../../..');
const SEED = 1;

type PromptFn = (input: AssembleInput) => AssembledPrompt;

async function probe(
  p: CodegenProblem,
  model: EngineModel,
  name: string,
  promptFn: PromptFn,
  wrongCode: string | undefined,
): Promise<SuiteProbe> {
  // What the eval asks the engine for (prompt, entry, support files), assembled as the engine does without a project.
  const request = generateInputFor(p, { samples: 1, maxRounds: 0, seed: SEED });
  const entry = request.entry!;
  const maxAnswerTokens = defaultMaxAnswerTokens(model.contextTokens);
  const input: AssembleInput = {
    type: request.type,
    language: p.lang,
    prompt: request.prompt,
    entry,
    ...(model.paramsB !== undefined ? { modelParamsB: model.paramsB } : {}),
    contextTokens: model.contextTokens,
    reservedForAnswer: maxAnswerTokens,
    ...(model.contextBudgetTokens !== undefined ? { maxContextTokens: model.contextBudgetTokens } : {}),
  };
  const filesWith = (code: string): CodeFile[] => [{ path: entry.file, content: code }, ...(request.files ?? [])];
  const t0 = performance.now();
  const answer = await model.complete(promptFn(input).messages, {
    maxTokens: Math.min(maxAnswerTokens, MODEL_TESTS_MAX_TOKENS),
    stopWhen: (text) => modelTestsEnd(p.lang, text, entry),
    temperature: 0,
    seed: SEED,
    stage: 'tests',
  });
  const seconds = (performance.now() - t0) / 1000;
  const suite = parseModelTests(p.lang, answer.text, entry);
  const out: SuiteProbe = { id: p.id, prompt: name, tokens: answer.tokens, seconds, cases: 0, right: 0, catches: null, wrongCases: [] };
  if (!suite) return out;
  out.suite = suite.files.map((f) => f.content).join('\n');
  const onReference = splitCases(await runTests({ language: p.lang, files: filesWith(p.reference), suites: [suite] }));
  out.cases = onReference.right.size + onReference.wrong.length;
  out.right = onReference.right.size;
  out.wrongCases = onReference.wrong;
  if (wrongCode !== undefined) {
    const onWrong = splitCases(await runTests({ language: p.lang, files: filesWith(wrongCode), suites: [suite] }));
    out.catches = catches(onReference.right, onWrong.right);
  }
  return out;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      only: { type: 'string' },
      lang: { type: 'string' },
      variant: { type: 'string' },
      wrong: { type: 'string', multiple: true },
      out: { type: 'string' },
    },
  });
  const only = values.only ? new Set(values.only.split(',')) : null;
  if (values.lang && !(PROBLEM_LANGUAGES as readonly string[]).includes(values.lang)) {
    throw new EvolveError('INVALID_ARGUMENT', `--lang ${values.lang}: one of ${PROBLEM_LANGUAGES.join(', ')}`);
  }
  const all = loadProblems();
  const unknown = [...(only ?? [])].filter((id) => !all.some((p) => p.id === id));
  if (unknown.length > 0) throw new EvolveError('NOT_FOUND', `--only: no problem ${unknown.join(', ')}`);
  // Edits and test requests get no model-written suite in the engine (run-generation.ts writeTests).
  const problems = all.filter(
    (p) => p.type !== 'edit' && p.type !== 'test' && (!only || only.has(p.id)) && (!values.lang || p.lang === values.lang),
  );
  if (problems.length === 0)
    throw new EvolveError('INVALID_ARGUMENT', 'no selected problem gets a model-written suite (edit and test do not)');
  const prompts: [string, PromptFn][] = [['engine', (i) => testWritingPrompt(i)]];
  if (values.variant) {
    const mod = (await import(pathToFileURL(path.resolve(values.variant)).href)) as { testWritingPrompt?: PromptFn };
    if (typeof mod.testWritingPrompt !== 'function') {
      throw new EvolveError('INVALID_ARGUMENT', `${values.variant} exports no testWritingPrompt`);
    }
    prompts.push([path.basename(values.variant, '.ts'), mod.testWritingPrompt]);
  }
  // Single-shot answers that failed hidden tests, from earlier eval results files.
  const wrong = new Map<string, string>();
  for (const file of values.wrong ?? []) {
    for (const [id, r] of Object.entries(ResultsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).problems)) {
      if (r.status === 'done' && r.code?.singleShot !== undefined && !r.answers?.singleShot.passed) wrong.set(id, r.code.singleShot);
    }
  }
  const m = await resolveEvalModel(values.model, REPO);
  const host = await startEvalModel(m, REPO);
  const rows: SuiteProbe[] = [];
  try {
    const model = await localModel(host.sources, m.label, undefined, { lanes: 1 });
    for (const [i, p] of problems.entries()) {
      for (const [name, fn] of prompts) {
        const r = await probe(p, model, name, fn, wrong.get(p.id));
        rows.push(r);
        process.stderr.write(
          `[${i + 1}/${problems.length}] ${p.id} ${name}: ${r.right}/${r.cases} right` +
            `${r.catches !== null ? `, ${r.catches} catch the wrong answer` : ''}, ${r.tokens} tokens, ${r.seconds.toFixed(1)} s` +
            `${r.wrongCases.length ? ` — wrong: ${r.wrongCases.map((w) => w.message).join(' | ')}` : ''}\n`,
        );
      }
      if (values.out) writeFileSync(values.out, JSON.stringify(rows, null, 2));
    }
  } finally {
    await host.close();
  }
  for (const [name] of prompts) process.stdout.write(`${summaryLine(name, rows)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A typed error (bad flag, missing model) is the user's to fix: its code and message; anything else with its stack.
    const what = isEvolveError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`model-tests-probe failed: ${what}\n`);
    process.exit(1);
  },
);
