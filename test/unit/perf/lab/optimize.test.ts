// The lab's loop with its parts as ports: the order (inputs → profile → propose → equivalence → bench), that a proposal
// that is not equivalent is never benchmarked, that only a double-proven one is offered, and its error paths.
import { describe, expect, it } from 'vitest';
import type { GenerateInput, GenerateResult } from '../../../../common/codegen/engine';
import type { OptimizeEvent } from '../../../../common/perf/optimize';
import type { BenchResult, CodeVersion, EquivalenceResult, ProfileResult } from '../../../../common/perf/types';
import { optimize, ownHotFunctions, type LabPorts } from '../../../../main/services/perf/lab/optimize';

const before: CodeVersion = { language: 'python', module: 'm.py', function: 'f', files: { 'm.py': 'def f(xs):\n    return sorted(xs)\n' } };
const inputs = { source: 'def make_input(n, seed):\n    return (list(range(n)),)\n', sizes: [10, 100, 1000] };

function genResult(path: string, content: string): GenerateResult {
  return {
    generationId: `g-${path}`,
    selected: 0,
    code: content,
    files: [{ path, content }],
    diffs: [{ path, hunks: [] }],
    candidates: [],
    tests: { status: 'passed', runner: 'pytest', cases: [], output: '', durationMs: 1 },
    scan: { ok: true, findings: [], tools: [], durationMs: 0 },
    score: { score: 90, breakdown: [] },
    budget: { contextTokens: 4096, reservedForAnswer: 512, used: 1, parts: [] },
    checked: 'full',
    timings: { totalMs: 0, generateMs: 0, checkMs: 0, testMs: 0 },
  };
}
const eq = (status: EquivalenceResult['status']): EquivalenceResult => ({
  status,
  tool: 'hypothesis',
  examples: 100,
  durationMs: 1,
  ...(status === 'different' ? { counterexample: { input: '([1, 1],)', before: '[1, 1]', after: '[1]' } } : {}),
});
const bench = (low: number, median: number, high: number): BenchResult => ({
  language: 'python',
  tool: 'pyperf',
  sizes: [10, 100, 1000].map((n) => ({
    n,
    beforeSec: [0.2],
    afterSec: [0.1],
    speedup: { median, low, high, confidence: 0.95, method: 'bootstrap' as const },
  })),
  slope: { before: 2, after: 1 },
  threshold: 1.1,
  verdict: low > 1.1 ? 'faster' : high < 1 ? 'slower' : 'not-proven',
  durationMs: 1,
});
const profile: ProfileResult = {
  profile: { language: 'python', tool: 'pyinstrument', frames: [{ name: 'f' }], samples: [[0]], weightsMs: [5], totalMs: 5 },
  hot: [{ name: 'f', file: 'm.py', line: 1, selfMs: 5, totalMs: 5, selfPercent: 100 }],
  durationMs: 1,
};

function ports(over: Partial<LabPorts> & { equivalences?: EquivalenceResult['status'][]; benches?: BenchResult[] } = {}) {
  const calls: string[] = [];
  const eqs = [...(over.equivalences ?? ['equivalent'])];
  const benches = [...(over.benches ?? [bench(2.5, 3, 3.5)])];
  const p: LabPorts = {
    generate: async (input: GenerateInput) => {
      calls.push(`generate:${input.type}`);
      return input.type === 'function'
        ? genResult('perf_inputs.py', inputs.source)
        : genResult('m.py', `def f(xs):\n    return sorted(xs)  # v${calls.length}\n`);
    },
    profile: async () => {
      calls.push('profile');
      return profile;
    },
    prove: async () => {
      calls.push('prove');
      return eq(eqs.shift() ?? 'equivalent');
    },
    bench: async () => {
      calls.push('bench');
      return benches.shift() ?? bench(2.5, 3, 3.5);
    },
    ...over,
  };
  return { p, calls };
}

describe('optimize', () => {
  it('writes the inputs, profiles, proposes, proves and offers the double-proven suggestion', async () => {
    const { p, calls } = ports();
    const events: OptimizeEvent[] = [];
    const r = await optimize({ before }, p, (e) => events.push(e));
    expect(calls).toEqual(['generate:function', 'profile', 'generate:refactor', 'prove', 'bench']);
    expect(r.inputsWrittenByModel).toBe(true);
    expect(r.profile?.hot[0]?.name).toBe('f');
    expect(r.offered).toBe(0);
    expect(r.suggestions[0]?.decision).toMatchObject({ offered: true, outcome: 'proven', label: 'Proven 3.0× (2.5–3.5×, 95 %)' });
    expect(events.filter((e) => e.kind === 'stage').map((e) => (e.kind === 'stage' ? e.stage : ''))).toEqual([
      'inputs',
      'profile',
      'propose',
      'equivalence',
      'bench',
    ]);
  });

  it('never benchmarks a proposal that behaves differently, and rejects one that is not faster', async () => {
    const { p, calls } = ports({ equivalences: ['different', 'equivalent'], benches: [bench(0.9, 1.02, 1.15)] });
    const r = await optimize({ before, inputs, proposals: 2 }, p);
    expect(calls).toEqual(['profile', 'generate:refactor', 'prove', 'generate:refactor', 'prove', 'bench']);
    expect(r.suggestions[0]?.bench).toBeUndefined();
    expect(r.suggestions[0]?.decision).toMatchObject({ offered: false, cause: 'behaviour' });
    expect(r.suggestions[1]?.decision).toMatchObject({ offered: false, cause: 'speed', label: 'Rejected: not faster (0.90–1.15×)' });
    expect(r.offered).toBeNull();
  });

  it('tells each later proposal why the earlier ones were turned down, and never the first one', async () => {
    const prompts: string[] = [];
    const { p } = ports({ equivalences: ['different', 'equivalent', 'equivalent'], benches: [bench(0.9, 1.02, 1.15), bench(2.5, 3, 3.5)] });
    const generate = p.generate;
    p.generate = async (input, signal) => {
      prompts.push(input.prompt);
      return generate(input, signal);
    };
    const r = await optimize({ before, inputs, proposals: 3 }, p);
    expect(r.offered).toBe(2);
    expect(prompts[0]).not.toContain('Earlier attempts');
    expect(prompts[1]).toContain('Earlier attempts in this run were rejected');
    expect(prompts[1]).toContain('([1, 1],)'); // the counterexample that sank attempt 1
    expect(prompts[2]).toContain('attempt 2: Rejected: not faster (0.90–1.15×)');
    // Attempt 2 was benchmarked, so attempt 3 also sees how the current version's time grows.
    expect(prompts[1]).not.toContain('Benchmark of the current version');
    expect(prompts[2]).toContain('Benchmark of the current version: n=10: 200 ms');
    expect(prompts[2]).toContain('grows like n^2.0');
  });

  it('offers the fastest of several proven suggestions and audits every decision', async () => {
    const audits: string[] = [];
    const { p } = ports({ equivalences: ['equivalent', 'equivalent'], benches: [bench(1.5, 2, 2.5), bench(4, 5, 6)] });
    const r = await optimize({ before, inputs, proposals: 2 }, { ...p, audit: async (e) => void audits.push(e.label) });
    expect(r.offered).toBe(1);
    expect(audits).toEqual(['Proven 2.0× (1.50–2.50×, 95 %)', 'Proven 5.0× (4.0–6.0×, 95 %)']);
  });

  it('goes on without a profile and says why; a proposal the engine could not make is a rejected suggestion', async () => {
    const { p } = ports({
      profile: async () => {
        throw new Error('pyinstrument missing');
      },
      generate: async () => ({ ...genResult('m.py', ''), files: [], diffs: [], error: 'no code' }),
    });
    const r = await optimize({ before, inputs }, p);
    expect(r.profile).toBeNull();
    expect(r.profileError).toContain('pyinstrument missing');
    expect(r.suggestions[0]).toMatchObject({
      error: expect.stringContaining('no code'),
      decision: { offered: false, label: 'No usable proposal' },
    });
  });

  it('refuses a bad request and stops when cancelled', async () => {
    const { p } = ports();
    await expect(optimize({ before: { ...before, module: 'missing.py' }, inputs }, p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(optimize({ before, inputs: { ...inputs, sizes: [1, 2] } }, p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const ac = new AbortController();
    const { p: slow } = ports({
      profile: async () => {
        ac.abort();
        throw new Error('aborted');
      },
    });
    await expect(optimize({ before, inputs }, slow, () => {}, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('ownHotFunctions', () => {
  it("keeps only the code's own functions: no harness, standard library or built-in rows reach the model", () => {
    const rows = [
      { name: 'make_input', file: '__evolve_input__.py', line: 16, selfMs: 9, totalMs: 9, selfPercent: 40 },
      { name: 'f', file: 'm.py', line: 1, selfMs: 5, totalMs: 5, selfPercent: 30 },
      { name: 'loads', file: 'json/__init__.py', line: 299, selfMs: 3, totalMs: 3, selfPercent: 20 },
      { name: "<method 'match' of 're.Pattern' objects>", selfMs: 2, totalMs: 2, selfPercent: 10 },
    ];
    expect(ownHotFunctions({ ...profile, hot: rows }, before).map((h) => h.name)).toEqual(['f']);
    expect(ownHotFunctions(null, before)).toEqual([]);
  });
});
