// The lab's loop on its real parts (sandboxed profile, Hypothesis / fast-check equivalence, pyperf / tinybench
// benchmark) with proposals taken from the eval corpus instead of a model: a correct faster rewrite is offered; a
// faster one that behaves differently is rejected without being timed; a correct slower one is rejected by the benchmark.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerateInput, GenerateResult } from '../../../../common/codegen/engine';
import type { CodeVersion, PerfLanguage } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { labPorts } from '../../../../main/services/perf/lab/lab-ports';
import { optimize } from '../../../../main/services/perf/lab/optimize';

const PROBLEMS = path.resolve(__dirname, '../../../../eval/optimize/problems');
const read = (id: string, file: string): string => readFileSync(path.join(PROBLEMS, id, file), 'utf8');

function problem(id: string, language: PerfLanguage, fn: string) {
  const ext = language === 'python' ? 'py' : 'ts';
  const before: CodeVersion = { language, module: `module.${ext}`, function: fn, files: { [`module.${ext}`]: read(id, `module.${ext}`) } };
  return { before, ext, inputsSource: read(id, `inputs.${ext}`) };
}

/** Proposals in order, as the engine would return them for the module (the lab proves them; nothing is trusted). */
function scripted(module: string, versions: string[]) {
  const asked: GenerateInput[] = [];
  const generate = async (input: GenerateInput): Promise<GenerateResult> => {
    asked.push(input);
    const content = versions[asked.length - 1] ?? '';
    return {
      generationId: null,
      selected: 0,
      code: content,
      files: [{ path: module, content }],
      diffs: [{ path: module, hunks: [] }],
      candidates: [],
      tests: null,
      scan: { ok: true, findings: [], tools: [], durationMs: 0 },
      score: { score: 0, breakdown: [] },
      budget: { contextTokens: 4096, reservedForAnswer: 512, used: 1, parts: [] },
      checked: 'full',
      timings: { totalMs: 0, generateMs: 0, checkMs: 0, testMs: 0 },
    };
  };
  return { generate, asked };
}

const available = (await sandboxSupport()).available;

describe.skipIf(!available)('optimize on real proofs', () => {
  it('Python: rejects the behaviour-changing and the slower rewrite, offers the faster correct one', async () => {
    const id = 'py-dedupe-keep-order';
    const { before, inputsSource } = problem(id, 'python', 'dedupe_emails');
    const { generate, asked } = scripted('module.py', [read(id, 'wrong.py'), read(id, 'slower.py'), read(id, 'reference.py')]);
    const r = await optimize(
      {
        before,
        inputs: { source: inputsSource, sizes: [200, 400, 800] },
        proposals: 3,
        tests: [{ path: 'test_module.py', content: read(id, 'test_module.py') }],
      },
      labPorts({ generate }),
    );
    expect(asked.map((a) => a.type)).toEqual(['refactor', 'refactor', 'refactor']);
    expect(r.profile?.hot.some((h) => h.name.includes('dedupe_emails'))).toBe(true);
    const [wrong, slower, fast] = r.suggestions;
    expect(wrong?.equivalence?.status).toBe('different');
    expect(wrong?.bench).toBeUndefined();
    expect(wrong?.decision).toMatchObject({ offered: false, cause: 'behaviour' });
    expect(slower?.equivalence?.status).toBe('equivalent');
    expect(slower?.decision).toMatchObject({ offered: false, cause: 'speed' });
    expect(fast?.decision).toMatchObject({ offered: true, outcome: 'proven' });
    expect(fast?.bench?.slope.before).toBeGreaterThan((fast?.bench?.slope.after ?? 9) + 0.4);
    expect(r.offered).toBe(2);
  }, 300_000);

  it('TypeScript: rejects the rewrite that drops repeated items, offers the Set-based one', async () => {
    const id = 'ts-includes-filter';
    const { before, inputsSource } = problem(id, 'typescript', 'visibleProducts');
    const { generate } = scripted('module.ts', [read(id, 'wrong.ts'), read(id, 'reference.ts')]);
    const r = await optimize({ before, inputs: { source: inputsSource, sizes: [300, 600, 1200] }, proposals: 2 }, labPorts({ generate }));
    expect(r.suggestions[0]?.decision).toMatchObject({ offered: false, cause: 'behaviour' });
    expect(r.suggestions[0]?.equivalence?.counterexample).toBeDefined();
    expect(r.suggestions[1]?.decision).toMatchObject({ offered: true });
    expect(r.offered).toBe(1);
  }, 300_000);
});
