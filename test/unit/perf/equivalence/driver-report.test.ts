// Parsing the equivalence driver's report line: only the nonce-prefixed line counts, the last one wins, and a line the
// schema rejects (or none at all) is no report.
import { describe, expect, it } from 'vitest';
import { parseDriverReport } from '../../../../main/services/perf/equivalence/driver-report';

const N = '@@evolve-eq-abc@@';

describe('parseDriverReport', () => {
  it('reads the nonce line among the code’s own output', () => {
    const out = `hello from the code\n{"status":"equivalent"}\n${N}{"status":"different","examples":3,"counterexample":{"input":"a","before":"b","after":"c"}}\ntrailing\n`;
    expect(parseDriverReport(out, N)).toEqual({
      status: 'different',
      examples: 3,
      counterexample: { input: 'a', before: 'b', after: 'c' },
    });
  });

  it('ignores a forged line without the nonce and takes the last nonce line', () => {
    const out = `@@evolve-eq-forged@@{"status":"equivalent"}\n${N}{"status":"error","message":"x"}\n`;
    expect(parseDriverReport(out, N)).toMatchObject({ status: 'error', message: 'x', examples: 0 });
    expect(parseDriverReport('@@evolve-eq-forged@@{"status":"equivalent"}\n', N)).toBeUndefined();
  });

  it('is undefined for a truncated or invalid line', () => {
    expect(parseDriverReport(`${N}{"status":"equiv`, N)).toBeUndefined();
    expect(parseDriverReport(`${N}{"status":"proven"}\n`, N)).toBeUndefined();
    expect(parseDriverReport(`${N}{"status":"different","examples":-1}\n`, N)).toBeUndefined();
    expect(parseDriverReport('', N)).toBeUndefined();
  });
});
