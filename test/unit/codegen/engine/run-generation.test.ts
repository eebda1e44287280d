// Orchestration of runGeneration with a scripted model and scripted checks/tests (no processes): bad input is refused
// before the model runs, the repair trigger and the round budget, a no-code answer becomes a failed round, candidate 0
// is greedy, model tests are written once for all candidates, CodeT picks the agreeing candidate, rounds are stored.
// This proves the loop's logic only; the real model and real checks run in test/integration/codegen/engine/.
import { describe, expect, it } from 'vitest';
import type { CheckResult, CodeFile, Finding } from '../../../../common/codegen/types';
import { isEvolveError } from '../../../../common/errors';
import { runGeneration } from '../../../../main/services/codegen/engine';
import { MODEL_TESTS_MAX_TOKENS } from '../../../../main/services/codegen/engine/run-generation';
import type {
  CompleteOptions,
  EngineDeps,
  EngineMessage,
  GenerateEvent,
  GenerateInput,
  PromptLike,
  Stages,
  TestRun,
} from '../../../../main/services/codegen/engine';

const BUDGET = { contextTokens: 4096, reservedForAnswer: 1024, used: 10, parts: [] };
const fence = (code: string) => `\`\`\`python\n${code}\n\`\`\``;
const GOOD = 'def add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b\n';
const WRONG = 'def add(a: int, b: int) -> int:\n    """Sum."""\n    return a - b\n';
const BROKEN = 'def add(a: int, b: int) -> int:\n    return a +\n';
const PROMPT = 'def add(a: int, b: int) -> int:\n    """Return a + b.\n\n    >>> add(2, 3)\n    5\n    """\n';

interface Script {
  answers: string[];
  calls: { messages: EngineMessage[]; opts: CompleteOptions }[];
}

function scriptedModel(answers: string[]): { script: Script; deps: Pick<EngineDeps, 'model'> } {
  const script: Script = { answers: [...answers], calls: [] };
  return {
    script,
    deps: {
      model: async () => ({
        id: 'scripted',
        contextTokens: 4096,
        countTokens: (t: string) => Math.ceil(t.length / 4),
        complete: async (messages, opts) => {
          script.calls.push({ messages, opts });
          const text = script.answers.shift();
          if (text === undefined) throw new Error('the scripted model ran out of answers');
          opts.onToken?.(text);
          return { text, tokens: Math.ceil(text.length / 4) };
        },
      }),
    },
  };
}

const check = (findings: Finding[]): CheckResult => ({
  ok: !findings.some((f) => f.severity === 'high'),
  findings,
  tools: [{ name: 'scripted', version: '0' }],
  durationMs: 1,
});

/** Scripted stages: a syntax error is reported for `return a +`, tests compare add(2, 3) with 5. */
function stages(extra: Partial<Stages> = {}): Partial<Stages> {
  return {
    assemblePrompt: async (input) => ({ messages: [{ role: 'user', content: input.prompt }], budget: BUDGET }),
    repairPrompt: (prev: PromptLike, answer, feedback) => ({
      ...prev,
      messages: [...prev.messages, { role: 'user', content: `Previous answer:\n${answer}\n\nProblems:\n${feedback}` }],
    }),
    testWritingPrompt: () => ({ messages: [{ role: 'user', content: 'write tests' }], budget: BUDGET }),
    docstringTests: (_l, prompt) =>
      prompt.includes('>>>') ? { origin: 'docstring', files: [{ path: 'test_doc.py', content: 'doc' }] } : null,
    parseModelTests: (_l, answer) => ({ origin: 'model', files: [{ path: 'test_model.py', content: answer }] }),
    checkPython: async (files: CodeFile[]) =>
      check(
        files.some((f) => /return a \+\s*$/m.test(f.content))
          ? [{ tool: 'py_compile', ruleId: 'E999', severity: 'high', file: files[0]!.path, line: 2, message: 'invalid syntax' }]
          : [],
      ),
    scanSecurity: async () => check([]),
    measureComplexity: async () => undefined,
    runTests: async ({ files, suites }): Promise<TestRun> => {
      const code = files.map((f) => f.content).join('\n');
      const cases = suites.flatMap((s): TestRun['cases'] =>
        s.origin === 'model'
          ? [
              { id: 'test_model.py::test_sum', origin: 'model' as const, passed: code.includes('a + b') },
              { id: 'test_model.py::test_diff', origin: 'model' as const, passed: code.includes('a - b') },
            ]
          : [{ id: `${s.files[0]!.path}::test_example`, origin: s.origin, passed: code.includes('a + b') }],
      );
      const failed = cases.filter((c) => !c.passed);
      return {
        status: cases.length === 0 ? 'no-tests' : failed.length ? 'failed' : 'passed',
        runner: 'scripted',
        cases,
        output: failed.map((c) => `${c.id}: assert 1 == 5`).join('\n'),
        durationMs: 1,
      };
    },
    ...extra,
  };
}

async function generate(input: Partial<GenerateInput>, answers: string[], extra: Partial<EngineDeps> = {}) {
  const { script, deps } = scriptedModel(answers);
  const events: GenerateEvent[] = [];
  const result = await runGeneration(
    { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 3, samples: 1, ...input },
    { ...deps, stages: stages(), ...extra },
    (e) => events.push(e),
  );
  return { result, script, events };
}

describe('runGeneration orchestration (scripted model, scripted stages)', () => {
  it('refuses an empty prompt and an unknown language with INVALID_ARGUMENT before the model runs', async () => {
    for (const bad of [{ prompt: '   ' }, { language: 'cobol' }, { samples: 0 }, { maxRounds: -1 }]) {
      const { script, deps } = scriptedModel([]);
      const run = runGeneration(
        { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 1, samples: 1, ...bad } as GenerateInput,
        { ...deps, stages: stages() },
        () => undefined,
      );
      await expect(run).rejects.toSatisfy((e: unknown) => isEvolveError(e) && e.code === 'INVALID_ARGUMENT');
      expect(script.calls).toHaveLength(0);
    }
  });

  it("passes the model's context budget (CPU-only models) to prompt assembly as maxContextTokens, and none otherwise", async () => {
    const seen: (number | undefined)[] = [];
    const assemble: Stages['assemblePrompt'] = async (input) => {
      seen.push(input.maxContextTokens);
      return { messages: [{ role: 'user', content: input.prompt }], budget: BUDGET };
    };
    for (const contextBudgetTokens of [2048, undefined]) {
      const { deps } = scriptedModel([GOOD]);
      const model: EngineDeps['model'] = async (id, s) => ({
        ...(await deps.model(id, s)),
        ...(contextBudgetTokens !== undefined ? { contextBudgetTokens } : {}),
      });
      await runGeneration(
        { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 0, samples: 1 },
        { model, stages: stages({ assemblePrompt: assemble }) },
        () => undefined,
      );
    }
    expect(seen).toEqual([2048, undefined]);
  });

  it('single shot that passes: one round, greedy, no repair', async () => {
    const { result, script } = await generate({ maxRounds: 3 }, [fence(GOOD)]);
    expect(result.candidates[0]!.rounds).toHaveLength(1);
    expect(script.calls[0]!.opts.temperature).toBe(0);
    expect(result.code).toContain('return a + b');
    expect(result.tests?.status).toBe('passed');
    expect(result.checked).toBe('full');
    expect(result.error).toBeUndefined();
  });

  it('no code → stored failed round with feedback; compile error → repair; then passes (3 rounds)', async () => {
    const rounds: { candidate: number; round: number; code: string; testOutput: string }[] = [];
    const store = {
      create: async () => ({ id: 'g1' }) as never,
      addRound: async (p: { candidate?: number; round: number; code: string; testOutput: string }) => {
        rounds.push({ candidate: p.candidate ?? 0, round: p.round, code: p.code, testOutput: p.testOutput });
        return {} as never;
      },
      finish: async (p: unknown) => {
        finished.push(p);
        return {} as never;
      },
    };
    const finished: unknown[] = [];
    const { result, script } = await generate({}, ['I cannot help with that.', fence(BROKEN), fence(GOOD)], {
      store: store as unknown as EngineDeps['store'],
    });
    const r = result.candidates[0]!.rounds;
    expect(r).toHaveLength(3);
    expect(r[0]!.error).toMatch(/no python code/i);
    expect(r[0]!.feedback).toMatch(/no python code/i);
    expect(r[1]!.checks[0]!.findings[0]!.ruleId).toBe('E999');
    expect(r[1]!.tests).toBeNull(); // code that does not compile is not run
    expect(script.calls[2]!.messages.at(-1)!.content).toContain('does not compile');
    // The error comes with the line it points at, as the model wrote it.
    expect(script.calls[2]!.messages.at(-1)!.content).toMatch(/: invalid syntax\n {4}2 \| {5}return a \+(\n|$)/);
    expect(result.generationId).toBe('g1');
    expect(rounds.map((x) => x.round)).toEqual([0, 1, 2]);
    expect(rounds[0]!.testOutput).toMatch(/no python code/i);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ generationId: 'g1', status: 'done' });
  });

  it('failing docstring tests trigger repair, but only up to maxRounds', async () => {
    const { result, script } = await generate({ maxRounds: 1 }, [fence(WRONG), fence(WRONG), fence(GOOD)]);
    expect(script.calls).toHaveLength(2); // round 0 + 1 repair
    const r = result.candidates[0]!.rounds;
    expect(r).toHaveLength(2);
    expect(r[0]!.feedback).toContain('assert 1 == 5');
    expect(r[1]!.feedback).toBeUndefined();
    expect(result.tests?.status).toBe('failed');
    expect(result.score.score).toBeGreaterThanOrEqual(30); // compiles
  });

  it('a repair that makes the code worse is not what the candidate offers: its better earlier round is kept', async () => {
    const finished: { code?: string | null }[] = [];
    const store = {
      create: async () => ({ id: 'g3' }),
      addRound: async () => ({}),
      finish: async (p: { code?: string | null }) => (finished.push(p), {}),
    } as unknown as EngineDeps['store'];
    // Round 0 compiles but fails the example; its repair (round 1) does not even compile.
    const { result, events } = await generate({ maxRounds: 1 }, [fence(WRONG), fence(BROKEN)], { store });
    const c = result.candidates[0]!;
    expect(c.rounds).toHaveLength(2); // every round is still reported and stored
    expect(c.final.round).toBe(0);
    expect(result.code).toContain('return a - b');
    expect(result.score.score).toBeGreaterThanOrEqual(30); // the kept round compiles
    expect(finished[0]!.code).toContain('return a - b');
    const selected = events.find((e) => e.kind === 'selected');
    expect(selected).toMatchObject({ kind: 'selected', candidate: 0 });
    expect(selected && 'reason' in selected ? selected.reason : '').toContain('kept round 0, not its last (round 1 ranked lower)');
  });

  it('maxRounds 0 is the single shot even when it fails', async () => {
    const { result, script } = await generate({ maxRounds: 0 }, [fence(BROKEN)]);
    expect(script.calls).toHaveLength(1);
    expect(result.score.score).toBeLessThanOrEqual(29);
  });

  it('a model that never answers with code ends failed with a clear error, not an empty success', async () => {
    const finished: { status: string; error: string | null }[] = [];
    const store = {
      create: async () => ({ id: 'g2' }),
      addRound: async () => ({}),
      finish: async (p: { status: string; error: string | null }) => (finished.push(p), {}),
    } as unknown as EngineDeps['store'];
    const { result } = await generate({ maxRounds: 1 }, ['Sure!', 'Here you go.'], { store });
    expect(result.error).toMatch(/No usable code after 2 round/);
    expect(finished[0]).toMatchObject({ status: 'failed' });
    expect(finished[0]!.error).toMatch(/no python code/i);
  });

  it('k = 3: model tests written once, candidate 0 greedy and the others sampled with distinct seeds; CodeT picks the agreeing pair', async () => {
    // Without visible tests, two candidates agree on test_sum (group of 2 × 1 test) and beat the one passing test_diff.
    const prompt = 'Write a Python function add(a, b) returning the sum.';
    const { result, script, events } = await generate({ samples: 3, maxRounds: 0, prompt, seed: 7 }, [
      'def test_sum(): ...',
      fence(WRONG),
      fence(GOOD),
      fence(GOOD.replace('"""Sum."""', '"""Add."""')),
    ]);
    expect(script.calls[0]!.messages[0]!.content).toBe('write tests');
    // The tests' answer is capped on its own (a rambling small model), the candidates keep the full answer budget.
    expect(script.calls[0]!.opts.maxTokens).toBe(MODEL_TESTS_MAX_TOKENS);
    expect(script.calls[1]!.opts.maxTokens).toBeGreaterThan(MODEL_TESTS_MAX_TOKENS);
    expect(script.calls.slice(1).map((c) => c.opts.temperature)).toEqual([0, 0.8, 0.8]);
    const seeds = script.calls.slice(2).map((c) => c.opts.seed);
    expect(new Set(seeds).size).toBe(2);
    expect(result.modelTests).toBe(1);
    expect(result.candidates.map((c) => c.agreement)).toEqual([1, 2, 2]);
    expect(result.selected).toBe(1);
    expect(events.find((e) => e.kind === 'selected')).toMatchObject({ kind: 'selected', candidate: 1 });
  });

  it('a visible (docstring) test outranks model-test agreement', async () => {
    // One lane: candidate 0 answers first; failing the docstring example, it asks for the model tests (written once).
    const { result, script } = await generate({ samples: 3, maxRounds: 0 }, [fence(WRONG), 'tests', fence(WRONG), fence(GOOD)]);
    expect(script.calls.map((c) => c.opts.stage)).toEqual(['generate', 'tests', 'generate', 'generate']);
    // Candidates 0 and 1 agree (2 × test_diff) but fail the docstring example; candidate 2 passes it.
    expect(result.selected).toBe(2);
  });

  describe('TypeScript with type errors only: the code still runs (types are erased), but does not compile', () => {
    const tsFence = (code: string) => `\`\`\`ts\n${code}\n\`\`\``;
    const TS_GOOD = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
    const TS_WRONG = TS_GOOD.replace('a + b', 'a - b');
    const TS_BROKEN = TS_GOOD.replace('a + b', 'a +');
    const typeError = (code: string) => code.replace('  return', '  const label: string = 1;\n  return');
    const TS_PROMPT = 'Write `export function add(a: number, b: number): number` returning the sum.\n>>> add(2, 3) is 5';
    const tsStages = (): Partial<EngineDeps> => ({
      stages: stages({
        checkTypeScript: async (files: CodeFile[]) => {
          const code = files[0]!.content;
          const at = (ruleId: string, message: string): Finding[] => [
            { tool: 'tsc', ruleId, severity: 'high', file: files[0]!.path, line: 2, message },
          ];
          return check(
            /a \+;?\n/.test(code) && !code.includes('a + b')
              ? at('TS1109', 'Expression expected.')
              : code.includes(': string = 1')
                ? at('TS2322', "Type 'number' is not assignable to type 'string'.")
                : [],
          );
        },
      }),
    });
    const tsGenerate = (input: Partial<GenerateInput>, answers: string[]) =>
      generate({ language: 'typescript', prompt: TS_PROMPT, ...input }, answers, tsStages());

    it('runs its tests, sends the type error back with them, and does not stop early on a visible pass', async () => {
      const { result, script } = await tsGenerate({ maxRounds: 1 }, [tsFence(typeError(TS_GOOD)), tsFence(TS_GOOD)]);
      const r = result.candidates[0]!.rounds;
      expect(r[0]!.tests?.status).toBe('passed'); // ran, although it does not compile
      expect(r[0]!.feedback).toContain('does not compile');
      expect(r[0]!.feedback).toContain("not assignable to type 'string'");
      expect(script.calls).toHaveLength(2); // the visible pass did not end the generation: the repair round ran
      expect(result.earlyStop).toEqual({ candidate: 0, round: 1 });
      expect(result.code).not.toContain('label');
    });

    it('among candidates that all have type errors, the one passing the visible test is selected', async () => {
      const answers = [tsFence(typeError(TS_WRONG)), 'tests', tsFence(typeError(TS_WRONG)), tsFence(typeError(TS_GOOD))];
      const { result } = await tsGenerate({ samples: 3, maxRounds: 0 }, answers);
      expect(result.earlyStop).toBeUndefined();
      expect(result.selected).toBe(2);
      // Agreement counts them too: 0 and 1 pass test_diff together (2 × 1), 2 passes test_sum alone (1 × 1).
      expect(result.candidates.map((c) => c.agreement)).toEqual([2, 2, 1]);
    });

    it('a syntax error is still not run', async () => {
      const { result } = await tsGenerate({ maxRounds: 0 }, [tsFence(TS_BROKEN)]);
      expect(result.candidates[0]!.rounds[0]!.checks[0]!.findings[0]!.ruleId).toBe('TS1109');
      expect(result.candidates[0]!.rounds[0]!.tests).toBeNull();
    });
  });

  it('emits context, round, tokens, check, tests, scan, score and selected events in order', async () => {
    const { events } = await generate({ maxRounds: 0 }, [fence(GOOD)]);
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('context');
    for (const k of ['round', 'tokens', 'check', 'tests', 'scan', 'score', 'selected'] as const) expect(kinds).toContain(k);
    expect(kinds.indexOf('check')).toBeLessThan(kinds.indexOf('tests'));
    // 'selected' comes after the scan: its reason names the final (stored) score, which includes the scan.
    expect(kinds.indexOf('scan')).toBeLessThan(kinds.indexOf('selected'));
  });

  it('cancel stops the loop with CANCELLED and finishes the stored generation as cancelled', async () => {
    const ac = new AbortController();
    const finished: { status: string }[] = [];
    const { deps } = scriptedModel([fence(BROKEN), fence(GOOD)]);
    const run = runGeneration(
      { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 3, samples: 1 },
      {
        ...deps,
        stages: stages({
          checkPython: async () => {
            ac.abort();
            return check([]);
          },
        }),
        store: {
          create: async () => ({ id: 'g3' }),
          addRound: async () => ({}),
          finish: async (p: { status: string }) => (finished.push(p), {}),
        } as unknown as EngineDeps['store'],
      },
      () => undefined,
      ac.signal,
    );
    await expect(run).rejects.toSatisfy((e: unknown) => isEvolveError(e) && e.code === 'CANCELLED');
    expect(finished).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('edit: a SEARCH block that does not match is sent back with "did you mean" and never applied; the fixed one is', async () => {
    const files = [{ path: 'calc.py', content: 'def mul(a, b):\n    return a * b\n\n\ndef div(a, b):\n    return a / b\n' }];
    const bad =
      'calc.py\n```python\n<<<<<<< SEARCH\ndef div(a, b):\n    return a // b\n=======\ndef div(a, b):\n    return a / b if b else 0\n>>>>>>> REPLACE\n```';
    const good = bad.replace('return a // b', 'return a / b');
    const { result, script } = await generate(
      { type: 'edit', prompt: 'Make div return 0 when b is 0', files, targetFile: 'calc.py' },
      [bad, good],
      {
        stages: {
          ...stages(),
          assemblePrompt: async (i) => ({ messages: [{ role: 'user', content: i.prompt }], budget: BUDGET, editFormat: 'search-replace' }),
        },
      },
    );
    const r = result.candidates[0]!.rounds;
    expect(r[0]!.error).toMatch(/did not match/);
    expect(r[0]!.files.find((f) => f.path === 'calc.py')!.content).toBe(files[0]!.content); // unchanged
    expect(script.calls[1]!.messages.at(-1)!.content).toMatch(/Did you mean/i);
    expect(result.files).toEqual([{ path: 'calc.py', content: expect.stringContaining('return a / b if b else 0') }]);
    expect(result.diffs).toHaveLength(1);
    expect(result.diffs[0]!.oldHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Go without a toolchain is labelled unchecked; with one, compile-only', async () => {
    const goAnswer = '```go\npackage main\n\nfunc Add(a, b int) int { return a + b }\n```';
    const none = await generate({ language: 'go', prompt: 'Write Add in Go', maxRounds: 0 }, [goAnswer], {
      stages: { ...stages(), compileCheck: async () => null },
    });
    expect(none.result.checked).toBe('unchecked');
    expect(none.result.checkedNote).toMatch(/no go toolchain/);
    const some = await generate({ language: 'go', prompt: 'Write Add in Go', maxRounds: 0 }, [goAnswer], {
      stages: { ...stages(), compileCheck: async () => check([]) },
    });
    expect(some.result.checked).toBe('compile-only');
  });
});
