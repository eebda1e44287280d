// repairPrompt (answer + feedback folded in, oldest turns and context cut first, never over budget) and
// testWritingPrompt (tests only, import of the entry, runner, budget).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../../common/errors';
import {
  assemblePrompt,
  repairPrompt,
  testWritingPrompt,
  importSpecifier,
  type AssembledPrompt,
} from '../../../../main/services/codegen/prompt';
import { cachedCounter, messagesTokens } from '../../../../main/services/codegen/prompt/budget';
import { charCounter, prng, retrieval } from './helpers';

const FASTAPI = path.resolve(__dirname, '../../../fixtures/codegen/prompt/fastapi-ruff');
const SIG_PROMPT = 'def add(a: int, b: int = 0) -> int:\n    """Return a + b.\n\n    >>> add(1, 2)\n    3\n    """\n';
const user = (p: AssembledPrompt): string => p.messages[1]!.content;
const exact = (p: AssembledPrompt): Promise<number> => messagesTokens(p.messages, cachedCounter(charCounter));

function throwsCode(run: () => unknown, code: string): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(EvolveError);
  expect((err as EvolveError).code).toBe(code);
}

async function first(contextTokens = 4096, reservedForAnswer = 512, modelParamsB?: number): Promise<AssembledPrompt> {
  return assemblePrompt(
    {
      type: 'function',
      language: 'python',
      prompt: SIG_PROMPT,
      project: { id: 'p', root: FASTAPI },
      contextTokens,
      reservedForAnswer,
      ...(modelParamsB !== undefined ? { modelParamsB } : {}),
    },
    { countTokens: charCounter, retrieve: async () => retrieval(6) },
  );
}

describe('repairPrompt', () => {
  it('appends the previous answer and the feedback after the task, asks for the whole corrected code', async () => {
    const p0 = await first();
    const p1 = repairPrompt(p0, '```python\ndef add(a, b):\n    return a - b\n```', 'FAILED test_add: assert add(1, 2) == 3 (got -1)');
    expect(p1.messages[0]).toEqual(p0.messages[0]);
    const u = user(p1);
    expect(u.startsWith(user(p0))).toBe(true);
    expect(u).toContain('## Your answer, attempt 1\n```python\ndef add(a, b):');
    expect(u).toContain('## Problems found in attempt 1\nFAILED test_add');
    expect(u).toContain('complete corrected code in one ```python block');
    expect(u.trimEnd().endsWith('`def add(a: int, b: int = 0) -> int:`')).toBe(true);
    expect(p1.budget.repair).toMatchObject({ turns: 1, dropped: 0 });
    expect(p1.budget.used).toBeGreaterThan(p0.budget.used);
    const p2 = repairPrompt(p1, 'second try', 'still failing');
    expect(user(p2)).toContain('attempt 1');
    expect(user(p2)).toContain('## Problems found in attempt 2\nstill failing');
    expect(p2.budget.repair!.turns).toBe(2);
  });

  it('a small model gets fresh repairs: only the problems of each attempt, and the code asked for again', async () => {
    const answer = '```python\ndef add(a, b):\n    return a - b\n```';
    const p0 = await first(4096, 512, 1.5);
    expect(p0.layout!.repairStyle).toBe('fresh');
    const p1 = repairPrompt(p0, answer, 'FAILED test_add: assert add(1, 2) == 3 (got -1)');
    const p2 = repairPrompt(p1, '```python\ndef add(a, b):\n    return b\n```', 'FAILED test_add: assert add(1, 2) == 3 (got 2)');
    const u = user(p2);
    expect(u.startsWith(user(p0))).toBe(true);
    expect(u).toContain('## Attempt 1 was wrong\nFAILED test_add: assert add(1, 2) == 3 (got -1)');
    expect(u).toContain('## Attempt 2 was wrong\nFAILED test_add: assert add(1, 2) == 3 (got 2)');
    expect(u).not.toContain('return a - b');
    expect(u).not.toContain('return b');
    expect(u).toContain('Write the code again from scratch');
    expect(u.trimEnd().endsWith('`def add(a: int, b: int = 0) -> int:`')).toBe(true);
    expect(p2.budget.repair).toMatchObject({ turns: 2, dropped: 0 });
    // Larger or unknown sizes, and edits of any size, are shown their answer (revise).
    expect((await first(4096, 512, 7)).layout!.repairStyle).toBe('revise');
    expect((await first()).layout!.repairStyle).toBe('revise');
    const edit = await assemblePrompt(
      {
        type: 'edit',
        language: 'python',
        prompt: 'Rename add.',
        target: { path: 'a.py', content: 'def add(a, b):\n    return a + b\n' },
        modelParamsB: 1.5,
        contextTokens: 4096,
        reservedForAnswer: 512,
      },
      { countTokens: charCounter },
    );
    expect(edit.layout!.repairStyle).toBe('revise');
    expect(user(repairPrompt(edit, answer, 'SEARCH block did not match'))).toContain('## Your answer, attempt 1');
  });

  it('a fresh repair too stays within the budget, keeping the latest problems (head and tail)', async () => {
    const rand = prng(7);
    for (let i = 0; i < 20; i++) {
      let p = await first(1200 + Math.floor(rand() * 2000), 256, 1.5);
      const available = p.budget.contextTokens - p.budget.reservedForAnswer;
      for (let round = 1; round <= 3; round++) {
        const feedback = `AssertionError round ${round}\n${'trace line\n'.repeat(1 + Math.floor(rand() * 400))}LAST ${round}`;
        try {
          p = repairPrompt(p, 'def add(a, b):\n    return a - b\n'.repeat(50), feedback, { countTokens: charCounter });
        } catch (e) {
          expect((e as EvolveError).code).toBe('RESOURCE_EXHAUSTED');
          break;
        }
        expect(await exact(p), `case ${i} round ${round}`).toBeLessThanOrEqual(available);
        expect(user(p)).toContain(`## Attempt ${round} was wrong\nAssertionError round ${round}`);
        expect(user(p)).toContain(`LAST ${round}`);
        expect(user(p)).not.toContain('return a - b');
      }
    }
  });

  it('drops the oldest turns first, then context, and never exceeds the budget (exact counter or estimate, random sizes)', async () => {
    const rand = prng(42);
    let repaired = 0;
    let cut = 0;
    for (let i = 0; i < 40; i++) {
      let p = await first(1500 + Math.floor(rand() * 3000), 256);
      const available = p.budget.contextTokens - p.budget.reservedForAnswer;
      for (let round = 1; round <= 4; round++) {
        const answer = `def add(a, b):\n    return a - b  # try ${round}\n`.repeat(1 + Math.floor(rand() * 60));
        const feedback = `AssertionError round ${round}\n`.repeat(1 + Math.floor(rand() * 80));
        try {
          // Odd cases: the app's path (no sync counter, the new text estimated from the measured ratio).
          p = repairPrompt(p, answer, feedback, i % 2 === 0 ? { countTokens: charCounter } : {});
        } catch (e) {
          expect((e as EvolveError).code).toBe('RESOURCE_EXHAUSTED');
          break;
        }
        expect(await exact(p), `case ${i} round ${round}`).toBeLessThanOrEqual(available);
        if (i % 2 === 0) expect(p.budget.used).toBe(await exact(p));
        // The latest problems are always there; an older turn is gone only if it was counted as dropped.
        expect(user(p)).toContain(`## Problems found in attempt ${round}`);
        expect(p.budget.repair!.turns + p.budget.repair!.dropped).toBe(round);
        expect(user(p)).toContain('## Task');
        repaired++;
        cut += p.budget.repair!.dropped > 0 ? 1 : 0;
      }
    }
    // Most rounds fit, and the overflow path (old turns cut) really ran.
    expect(repaired).toBeGreaterThan(100);
    expect(cut).toBeGreaterThan(10);
  });

  it('with the estimate only, cuts retrieved context before the task and keeps head and tail of a huge log', async () => {
    const p0 = await first(2048, 256);
    expect(p0.budget.parts.find((x) => x.name === 'retrieved')!.tokens).toBeGreaterThan(0);
    const log = `FIRST LINE\n${'noise\n'.repeat(5000)}LAST LINE: assert 3 == -1`;
    const p1 = repairPrompt(p0, 'def add(a, b):\n    return a - b\n', log);
    const parts = Object.fromEntries(p1.budget.parts.map((x) => [x.name, x]));
    expect(parts.retrieved!.tokens).toBe(0);
    expect(parts.retrieved!.dropped).toBeGreaterThan(0);
    expect(user(p1)).toContain('FIRST LINE');
    expect(user(p1)).toContain('LAST LINE: assert 3 == -1');
    expect(user(p1)).toContain('[… cut to fit the context …]');
    expect(await exact(p1)).toBeLessThanOrEqual(2048 - 256);
  });

  it('refuses empty feedback, a prompt without layout, and a context with no room left', async () => {
    const p0 = await first();
    throwsCode(() => repairPrompt(p0, 'x', '  '), 'INVALID_ARGUMENT');
    throwsCode(() => repairPrompt({ messages: p0.messages, budget: p0.budget }, 'x', 'y'), 'INVALID_ARGUMENT');
    const tight = await assemblePrompt(
      { type: 'function', language: 'python', prompt: SIG_PROMPT, contextTokens: 240, reservedForAnswer: 20 },
      { countTokens: charCounter },
    );
    throwsCode(() => repairPrompt(tight, 'x', 'y'.repeat(10), { countTokens: (t) => charCounter(t) + 100 }), 'RESOURCE_EXHAUSTED');
  });

  it('edit repairs keep the edit format', async () => {
    const p0 = await assemblePrompt(
      {
        type: 'edit',
        language: 'python',
        prompt: 'fix',
        target: { path: 'a.py', content: 'x = 1\n' },
        contextTokens: 4096,
        reservedForAnswer: 512,
      },
      { countTokens: charCounter },
    );
    const p1 = repairPrompt(p0, 'a.py\n```python\nx = 2 # ... rest of the code unchanged\n```', 'a.py: the file leaves code out');
    expect(p1.editFormat).toBe('whole-file');
    expect(user(p1)).toContain('complete new content of each file');
  });

  it('edit repairs show the files as they are now (earlier blocks applied) when given, else the original', async () => {
    const content = Array.from({ length: 300 }, (_, i) => `def f_${i}(x):\n    return x + ${i}`).join('\n');
    const p0 = await assemblePrompt(
      {
        type: 'edit',
        language: 'python',
        prompt: 'fix f_1 and f_2',
        target: { path: 'big.py', content },
        contextTokens: 8192,
        reservedForAnswer: 512,
      },
      { countTokens: charCounter },
    );
    expect(p0.editFormat).toBe('search-replace');
    const now = content.replace('return x + 1\n', 'return x - 1\n');
    const p1 = repairPrompt(p0, 'blocks', '# 1 SEARCH/REPLACE block failed to match!', { files: [{ path: 'big.py', content: now }] });
    expect(user(p1)).toContain('## File `big.py` now, with your earlier edits applied');
    expect(user(p1)).toContain('return x - 1');
    expect(user(p1)).not.toContain('return x + 1\n');
    expect(await exact(p1)).toBeLessThanOrEqual(8192 - 512);
    // Too big to show in this context: the original (which fit) stays.
    const huge = repairPrompt(p0, 'blocks', 'failed', { files: [{ path: 'big.py', content: now.repeat(4) }] });
    expect(user(huge)).toContain('## File `big.py`\n');
    expect(user(huge)).not.toContain('earlier edits applied');
  });
});

describe('testWritingPrompt', () => {
  const input = { type: 'function', language: 'python', prompt: SIG_PROMPT, contextTokens: 4096, reservedForAnswer: 512 } as const;

  it('asks for pytest tests of the entry point only, importing it, with the task and no implementation', () => {
    const p = testWritingPrompt({ ...input, entry: { file: 'solution.py', exports: ['add'] } });
    const s = p.messages[0]!.content;
    expect(s).toContain('pytest tests for `add`');
    expect(s).toContain('Do not implement it: import it with `from solution import add`');
    expect(s).toContain('one ```python block, no explanation');
    expect(user(p)).toContain('>>> add(1, 2)');
    // The request comes again after the task: the 1.5B otherwise followed the task ("Write a Python function …") and
    // answered 7 of 10 Python test-writing prompts with the implementation.
    expect(user(p).indexOf('## Your answer')).toBeGreaterThan(user(p).indexOf('>>> add(1, 2)'));
    expect(user(p)).toMatch(/Tests only, not the implementation: from solution import add and test it\. One ```python block\.$/);
    expect(p.budget.used).toBeLessThanOrEqual(4096 - 512);
  });

  it('TypeScript imports the .js specifier with node:test; the entry falls back to the prompt signature', () => {
    const p = testWritingPrompt({ ...input, language: 'typescript', prompt: 'export function slug(s: string): string {\n' });
    expect(p.messages[0]!.content).toContain("import { slug } from './solution.js';");
    expect(p.messages[0]!.content).toContain("import { test } from 'node:test'");
    expect(importSpecifier('python', 'pkg/util.py')).toBe('pkg.util');
    expect(importSpecifier('typescript', 'src/a.ts')).toBe('./src/a.js');
  });

  it('cuts a long task to fit, refuses when nothing fits, and can be repaired', () => {
    const long = `${SIG_PROMPT}${'More detail about add.\n'.repeat(2000)}`;
    const p = testWritingPrompt({ ...input, prompt: long, contextTokens: 2048, reservedForAnswer: 512 });
    expect(p.budget.used).toBeLessThanOrEqual(2048 - 512);
    expect(p.budget.parts.find((x) => x.name === 'task')!.dropped).toBe(1);
    expect(user(p)).toContain('def add(a: int');
    throwsCode(() => testWritingPrompt({ ...input, contextTokens: 100, reservedForAnswer: 0 }), 'RESOURCE_EXHAUSTED');
    throwsCode(() => testWritingPrompt({ ...input, prompt: '' }), 'INVALID_ARGUMENT');
    const r = repairPrompt(p, 'def test_add(): assert add(1, 2) == 4', 'test_add failed against every candidate', {
      countTokens: charCounter,
    });
    expect(user(r)).toContain('test_add failed against every candidate');
  });
});
