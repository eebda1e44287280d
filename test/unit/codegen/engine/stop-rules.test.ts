// The rules that make the pipeline cheap, on recorded rounds and a scripted model (no processes): a repair that repeats
// the same failure or the same code stops, a candidate that passes the visible tests and the scan stops the others,
// candidates run on parallel lanes (model tests beside them), and the selected event names the stored score.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../../common/codegen/types';
import { EvolveError, isEvolveError } from '../../../../common/errors';
import { runGeneration } from '../../../../main/services/codegen/engine';
import { runOnLanes } from '../../../../main/services/codegen/engine/lanes';
import { failureSignature, passesVisibleTests, repeatStop } from '../../../../main/services/codegen/engine/stop-rules';
import type {
  CandidateRound,
  CompleteOptions,
  EngineDeps,
  GenerateEvent,
  GenerateInput,
  Stages,
  TestRun,
} from '../../../../main/services/codegen/engine';

const BUDGET = { contextTokens: 4096, reservedForAnswer: 1024, used: 10, parts: [] };
const fence = (code: string) => `\`\`\`python\n${code}\n\`\`\``;
const GOOD = 'def add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b\n';
const WRONG = 'def add(a: int, b: int) -> int:\n    """Sum."""\n    return a - b\n';
const WRONG2 = 'def add(a: int, b: int) -> int:\n    """Sum of a and b."""\n    return a - b\n';
const PROMPT = 'def add(a: int, b: int) -> int:\n    """Return a + b.\n\n    >>> add(2, 3)\n    5\n    """\n';

const clean = (): CheckResult => ({ ok: true, findings: [], tools: [{ name: 'scripted', version: '0' }], durationMs: 1 });

function run(tests: Partial<TestRun> & { cases: TestRun['cases'] }): TestRun {
  const failed = tests.cases.some((c) => !c.passed);
  return { status: failed ? 'failed' : 'passed', runner: 'scripted', output: '', durationMs: 1, ...tests };
}
function round(code: string, tests: TestRun | null, extra: Partial<CandidateRound> = {}): CandidateRound {
  return { round: 0, code, files: [{ path: 'solution.py', content: code }], checks: [], tests, tokens: 10, ms: 1, ...extra };
}
const failing = (msg: string) => run({ cases: [{ id: 't.py::test_add', origin: 'docstring', passed: false, message: msg }] });

describe('stop rules on recorded rounds', () => {
  it('the same code twice is "unchanged"; other code failing the same test with the same message is "same-failure"', () => {
    const r0 = round(WRONG, failing('assert -1 == 5\nmore'));
    expect(repeatStop(undefined, r0)).toBeUndefined(); // the first round never repeats
    expect(repeatStop(r0, round(WRONG, failing('assert -1 == 5')))).toBe('unchanged');
    expect(repeatStop(r0, round(WRONG2, failing('assert -1 == 5\nother tail')))).toBe('same-failure');
    // A different message (progress: a new failure) or a different failing test keeps repairing.
    expect(repeatStop(r0, round(WRONG2, failing('assert 6 == 5')))).toBeUndefined();
    const other = run({ cases: [{ id: 't.py::test_neg', origin: 'docstring', passed: false, message: 'assert -1 == 5' }] });
    expect(repeatStop(r0, round(WRONG2, other))).toBeUndefined();
  });

  it('model tests are not part of the failure; compile errors, kills and "no code" errors are', () => {
    const withModel = (passed: boolean) =>
      run({
        cases: [
          { id: 't.py::test_add', origin: 'docstring', passed: false, message: 'x' },
          { id: 'm.py::test_m', origin: 'model', passed },
        ],
      });
    expect(failureSignature(round(WRONG, withModel(true)))).toBe(failureSignature(round(WRONG2, withModel(false))));
    const compile = (line: number): CandidateRound =>
      round(WRONG, null, {
        checks: [
          {
            name: 'python',
            ok: false,
            tools: [],
            durationMs: 1,
            findings: [{ tool: 'py_compile', ruleId: 'E999', severity: 'high', file: 'solution.py', line, message: 'invalid syntax' }],
          },
        ],
      });
    expect(failureSignature(compile(2))).not.toBe(failureSignature(compile(3)));
    expect(failureSignature(round(WRONG, run({ cases: [], status: 'failed', killedBy: 'wall' })))).toContain('killed:wall');
    const noCode = (code: string) => round(code, null, { error: 'The answer has no python code', files: [] });
    expect(repeatStop(noCode(''), noCode(''))).toBe('same-failure');
  });

  it('passes the visible tests only with at least one user/docstring case, all passed, compiled and not killed', () => {
    const ok = run({
      cases: [
        { id: 'a', origin: 'docstring', passed: true },
        { id: 'm', origin: 'model', passed: false },
      ],
    });
    expect(passesVisibleTests(round(GOOD, ok))).toBe(true); // a failing model test does not matter
    expect(passesVisibleTests(round(GOOD, run({ cases: [{ id: 'm', origin: 'model', passed: true }] })))).toBe(false);
    expect(passesVisibleTests(round(GOOD, { ...ok, killedBy: 'wall' }))).toBe(false);
    expect(passesVisibleTests(round(GOOD, null))).toBe(false);
    expect(passesVisibleTests(round(GOOD, ok, { error: 'renamed' }))).toBe(false);
  });
});

describe('runOnLanes', () => {
  it('runs at most `parallel` tasks at once, on distinct lanes, results in task order; skipped tasks stay undefined', async () => {
    let inFlight = 0;
    let most = 0;
    const lanes: number[] = [];
    const task = (v: number, ms: number) => ({
      run: async (lane: number) => {
        lanes.push(lane);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, ms));
        inFlight--;
        return v;
      },
    });
    const out = await runOnLanes([task(1, 30), task(2, 5), task(3, 5), { ...task(4, 1), skip: () => true }], 2);
    expect(out).toEqual([1, 2, 3, undefined]);
    expect(most).toBe(2);
    expect(new Set(lanes)).toEqual(new Set([0, 1]));
  });

  it('the first real failure aborts the running tasks, starts no more and is the error thrown', async () => {
    let started = 0;
    const waiting = {
      run: (_lane: number, signal: AbortSignal) => {
        started++;
        return new Promise<number>((_r, reject) =>
          signal.addEventListener('abort', () => reject(new EvolveError('CANCELLED', 'aborted by a sibling'))),
        );
      },
    };
    const boom = { run: async () => Promise.reject(new EvolveError('UNAVAILABLE', 'no sandbox')) };
    const never = { run: async () => (started++, 1) };
    const p = runOnLanes([waiting, boom, never], 2);
    await expect(p).rejects.toSatisfy((e: unknown) => isEvolveError(e) && e.code === 'UNAVAILABLE');
    expect(started).toBe(1);
  });
});

interface Call {
  opts: CompleteOptions;
}

/** A model answering by the call's sampling (candidate 0 greedy, others by seed), each answer after `delayMs`. */
function model(answer: (opts: CompleteOptions, calls: Call[]) => { text: string; delayMs?: number }, parallel?: number) {
  const calls: Call[] = [];
  let inFlight = 0;
  const stats = { most: 0 };
  const deps: Pick<EngineDeps, 'model'> = {
    model: async () => ({
      id: 'scripted',
      contextTokens: 4096,
      ...(parallel ? { parallel } : {}),
      countTokens: (t: string) => Math.ceil(t.length / 4),
      complete: async (_messages, opts) => {
        calls.push({ opts });
        stats.most = Math.max(stats.most, ++inFlight);
        const a = answer(opts, calls);
        await new Promise((r) => setTimeout(r, a.delayMs ?? 0));
        inFlight--;
        return { text: a.text, tokens: Math.ceil(a.text.length / 4), promptTokens: 100, evaluatedPromptTokens: 40 };
      },
    }),
  };
  return { deps, calls, stats };
}

function stages(scans: { n: number }, high = false): Partial<Stages> {
  return {
    assemblePrompt: async (input) => ({ messages: [{ role: 'user', content: input.prompt }], budget: BUDGET }),
    repairPrompt: (prev, answer, feedback) => ({
      ...prev,
      messages: [...prev.messages, { role: 'user', content: `${answer}\n${feedback}` }],
    }),
    testWritingPrompt: () => ({ messages: [{ role: 'user', content: 'write tests' }], budget: BUDGET }),
    docstringTests: (_l, prompt) =>
      prompt.includes('>>>') ? { origin: 'docstring', files: [{ path: 'test_doc.py', content: 'doc' }] } : null,
    parseModelTests: (_l, answer) => ({ origin: 'model', files: [{ path: 'test_model.py', content: answer }] }),
    checkPython: async () => clean(),
    scanSecurity: async () => {
      scans.n++;
      return high
        ? {
            ...clean(),
            ok: false,
            findings: [{ tool: 'bandit', ruleId: 'B307', severity: 'high', file: 'solution.py', line: 3, message: 'eval' }],
          }
        : clean();
    },
    measureComplexity: async () => undefined,
    runTests: async ({ files, suites }) => {
      const code = files.map((f) => f.content).join('\n');
      return run({
        cases: suites.map((s) => ({
          id: `${s.files[0]!.path}::test_example`,
          origin: s.origin,
          passed: code.includes('a + b'),
          ...(code.includes('a + b') ? {} : { message: 'assert -1 == 5' }),
        })),
      });
    },
  };
}

async function generate(input: Partial<GenerateInput>, m: ReturnType<typeof model>, st: Partial<Stages>, extra: Partial<EngineDeps> = {}) {
  const events: GenerateEvent[] = [];
  const result = await runGeneration(
    { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 3, samples: 1, ...input },
    { ...m.deps, stages: st, ...extra },
    (e) => events.push(e),
  );
  return { result, events };
}

describe('runGeneration: repeat stops, early stop, lanes', () => {
  it('a repair that comes back with the same code stops ("unchanged"); one with the same failure stops ("same-failure")', async () => {
    const same = model(() => ({ text: fence(WRONG) }));
    const a = await generate({ maxRounds: 3 }, same, stages({ n: 0 }));
    expect(same.calls).toHaveLength(2);
    expect(a.result.candidates[0]!.rounds.map((r) => r.stop)).toEqual([undefined, 'unchanged']);
    expect(a.result.candidates[0]!.rounds[1]!.feedback).toBeUndefined();

    const reworded = model((_o, calls) => ({ text: fence(calls.length === 1 ? WRONG : WRONG2) }));
    const b = await generate({ maxRounds: 3 }, reworded, stages({ n: 0 }));
    expect(reworded.calls).toHaveLength(2);
    expect(b.result.candidates[0]!.rounds.at(-1)!.stop).toBe('same-failure');
    expect(b.result.usage?.repair).toMatchObject({ calls: 1, promptTokens: 100, evaluatedPromptTokens: 40 });
  });

  it('one lane: candidate 0 passing the docstring test and a clean scan leaves the other candidates unstarted and writes no model tests', async () => {
    const scans = { n: 0 };
    const m = model((o) => (o.stage === 'tests' ? { text: 'def test_m(): ...' } : { text: fence(GOOD) }));
    const { result, events } = await generate({ samples: 3, maxRounds: 2 }, m, stages(scans));
    // The model tests are lazy when there are visible tests: an early stop on them costs no test-writing call.
    expect(m.calls.map((c) => c.opts.stage)).toEqual(['generate']);
    expect(result.usage?.tests).toBeUndefined();
    expect(result.candidates).toHaveLength(1);
    expect(result.earlyStop).toEqual({ candidate: 0, round: 0 });
    expect(scans.n).toBe(1); // the early-stop scan is the final scan (same code)
    const selected = events.find((e) => e.kind === 'selected');
    expect(selected).toMatchObject({ candidate: 0, reason: expect.stringContaining('early stop') });
  });

  it('a high-severity finding is no early stop: the other candidates still run', async () => {
    const m = model((o) => (o.stage === 'tests' ? { text: 'def test_m(): ...' } : { text: fence(GOOD) }));
    const { result } = await generate({ samples: 2, maxRounds: 0 }, m, stages({ n: 0 }, true));
    expect(result.candidates).toHaveLength(2);
    expect(result.earlyStop).toBeUndefined();
  });

  it('parallel lanes: k candidates generate at once on distinct lanes; a passing candidate stops the others’ repairs and nobody writes model tests', async () => {
    // Candidate 1 (seed 1000+) answers first and right; candidates 0 and 2 answer later, wrong: they stop after round 0.
    const m = model(
      (o) =>
        o.stage === 'tests'
          ? { text: 'def test_m(): ...', delayMs: 5 }
          : o.temperature === 0 || o.seed === 2000
            ? { text: fence(WRONG), delayMs: 40 }
            : { text: fence(GOOD), delayMs: 1 },
      4,
    );
    const { result } = await generate({ samples: 3, maxRounds: 3, seed: 0 }, m, stages({ n: 0 }));
    expect(result.parallel).toBe(3);
    expect(m.stats.most).toBe(3);
    expect(new Set(m.calls.map((c) => c.opts.lane)).size).toBe(3);
    expect(result.earlyStop).toEqual({ candidate: 1, round: 0 });
    expect(result.candidates.map((c) => c.rounds.length)).toEqual([1, 1, 1]);
    expect(result.candidates.map((c) => c.final.stop)).toEqual(['early-stop', undefined, 'early-stop']);
    expect(result.selected).toBe(1);
    // The generation ended on the visible tests before anyone needed the model-written suite.
    for (const c of result.candidates) expect(c.final.tests?.cases.some((x) => x.origin === 'model')).toBe(false);
    expect(result.usage?.tests).toBeUndefined();
    expect(result.usage?.generate?.calls).toBe(3);
    expect(result.usage?.repair).toBeUndefined();
  });

  it('parallel lanes without visible tests: the model tests are written at once on a lane of their own, beside the candidates', async () => {
    const m = model((o) => (o.stage === 'tests' ? { text: 'def test_m(): ...', delayMs: 5 } : { text: fence(GOOD), delayMs: 10 }), 4);
    const { result } = await generate({ samples: 3, maxRounds: 0, prompt: 'Write add(a, b) returning the sum.' }, m, stages({ n: 0 }));
    expect(result.parallel).toBe(4);
    expect(m.stats.most).toBe(4);
    expect(m.calls[0]!.opts.stage).toBe('tests');
    expect(result.earlyStop).toBeUndefined();
    for (const c of result.candidates) expect(c.final.tests?.cases.some((x) => x.origin === 'model')).toBe(true);
    expect(result.usage?.tests?.calls).toBe(1);
  });

  it("a round's ms leaves out the wait for the shared model-written suite, so candidate 0's first round is a single shot's time", async () => {
    // A fake clock: a candidate's answer takes 10 ms, writing the model's tests 300 ms; nothing else advances it.
    let clock = 0;
    const m = model((o) => {
      clock += o.stage === 'tests' ? 300 : 10;
      return { text: o.stage === 'tests' ? 'def test_m(): ...' : fence(WRONG) };
    });
    const { result } = await generate({ samples: 2, maxRounds: 0, seed: 0 }, m, stages({ n: 0 }), { now: () => clock });
    expect(result.usage?.tests?.calls).toBe(1);
    // Candidate 0 failed its docstring test, so its round asked for (and waited on) the model suite.
    expect(result.candidates[0]!.rounds[0]!.tests?.cases.some((c) => c.origin === 'model')).toBe(true);
    expect(result.candidates.map((c) => c.rounds[0]!.ms)).toEqual([10, 10]);
  });

  it('visible tests failing: the first candidate that needs the model tests writes them on its lane, once, and every later round runs them too', async () => {
    // Every answer is wrong: no early stop, so the model suite is asked for by each candidate and written once.
    const m = model((o) => (o.stage === 'tests' ? { text: 'def test_m(): ...', delayMs: 5 } : { text: fence(WRONG), delayMs: 5 }), 2);
    const { result } = await generate({ samples: 2, maxRounds: 1, seed: 0 }, m, stages({ n: 0 }));
    const stagesSeen = m.calls.map((c) => c.opts.stage);
    expect(stagesSeen.filter((x) => x === 'tests')).toHaveLength(1);
    // Written after a candidate's first answer, not before it.
    expect(stagesSeen.indexOf('tests')).toBeGreaterThan(stagesSeen.indexOf('generate'));
    expect(result.usage?.tests?.calls).toBe(1);
    for (const c of result.candidates)
      for (const r of c.rounds) {
        const origins = new Set(r.tests?.cases.map((x) => x.origin));
        expect(origins).toEqual(new Set(['docstring', 'model']));
      }
  });

  it("the selected event's reason names the stored final score, not the pre-scan ranking score", async () => {
    const finished: { score: number | null }[] = [];
    const store = {
      create: async () => ({ id: 'g' }),
      addRound: async () => ({}),
      finish: async (p: { score: number | null }) => (finished.push(p), {}),
    } as unknown as EngineDeps['store'];
    const m = model((o) => (o.stage === 'tests' ? { text: 'def test_m(): ...' } : { text: fence(GOOD) }));
    const { result, events } = await generate({ samples: 1, maxRounds: 0 }, m, stages({ n: 0 }), { store });
    const reason = events.flatMap((e) => (e.kind === 'selected' ? [e.reason] : []))[0]!;
    const final = Number(/final score (\d+)/.exec(reason)?.[1]);
    expect(final).toBe(result.score.score);
    expect(final).toBe(finished[0]!.score);
    expect(result.candidates[0]!.score.score).toBe(final);
    // The scan is a measured signal: with a finding the stored score differs from the ranking one (the bug: 90 vs 92).
    const k2 = await generate(
      { samples: 2, maxRounds: 0, prompt: 'Write add(a, b).' },
      model((o) => ({ text: o.stage === 'tests' ? 'x' : fence(GOOD) })),
      stages({ n: 0 }, true),
    );
    const r2 = k2.events.flatMap((e) => (e.kind === 'selected' ? [e.reason] : []))[0]!;
    expect(Number(/score before the scan (\d+)/.exec(r2)?.[1])).not.toBe(k2.result.score.score);
    expect(Number(/final score (\d+)/.exec(r2)?.[1])).toBe(k2.result.score.score);
  });
});
