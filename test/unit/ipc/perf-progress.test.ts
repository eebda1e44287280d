// The `perf.optimize` stream's events from the service's progress: lab events pass through, bench progress is
// tagged, the engine's events become summary lines and a throttled token count; every event fits the contract.
import { describe, expect, it } from 'vitest';
import { PerfOptimizeEventSchema } from '../../../common/contracts/perf';
import { generateLine, progressMapper, TOKEN_EVERY_MS } from '../../../main/ipc/perf-progress';

describe('progressMapper', () => {
  it('passes lab events and bench progress, summarises the engine, throttles tokens', () => {
    let now = 1_000;
    const map = progressMapper(() => now);
    const out = [
      map({ event: { kind: 'stage', stage: 'propose', proposal: 0 } }),
      map({ generate: { kind: 'context', budget: { contextTokens: 8192, reservedForAnswer: 512, used: 564, parts: [] } } }),
      map({ generate: { kind: 'tokens', candidate: 0, round: 0, text: 'def' } }),
      map({ generate: { kind: 'tokens', candidate: 0, round: 0, text: ' f' } }),
      map({ generate: { kind: 'tokens', candidate: 0, round: 0, text: '(x)' } }),
    ];
    now += TOKEN_EVERY_MS;
    out.push(map({ generate: { kind: 'tokens', candidate: 0, round: 0, text: ':' } }));
    out.push(map({ generate: { kind: 'round', candidate: 0, round: 1, phase: 'repair' } }));
    out.push(map({ bench: { n: 8000, repeat: 3, repeats: 7, done: 17, total: 21 } }));
    out.push(map({}));
    expect(out).toEqual([
      { kind: 'stage', stage: 'propose', proposal: 0 },
      null, // context: not a line
      { kind: 'generate', tokens: 1 },
      null,
      null, // within TOKEN_EVERY_MS of the last count
      { kind: 'generate', tokens: 4 },
      { kind: 'generate', tokens: 4, line: 'candidate 1 round 2: repair' },
      { kind: 'bench', n: 8000, repeat: 3, repeats: 7, done: 17, total: 21 },
      null,
    ]);
    for (const e of out) if (e) expect(PerfOptimizeEventSchema.safeParse(e).success).toBe(true);
  });

  it('writes a line for tests and selection', () => {
    expect(
      generateLine({
        kind: 'tests',
        candidate: 0,
        round: 0,
        result: { status: 'passed', runner: 'pytest', cases: [{ name: 'a', passed: true }], durationMs: 5 },
      } as never),
    ).toBe('tests: passed 1/1');
    expect(generateLine({ kind: 'selected', candidate: 1, reason: 'best score' })).toBe('selected candidate 2');
  });
});
