// The Node memory figures: heap-used-before-GC read from real --trace-gc lines between the markers only, and the
// peak and allocation sites built from a hand-made sampling heap profile.
import { describe, expect, it } from 'vitest';
import { plainMapper } from '../../../../main/services/perf/profile';
import { gcPeaksBetween, heapToMemory } from '../../../../main/services/perf/profile/heap';

// Real lines of `node --trace-gc` (v20.20.2), around the driver's markers.
const STDOUT = [
  '[29781:0x293ecc40]      150 ms: Mark-Compact 3.9 (5.5) -> 3.1 (5.5) MB, 2.10 / 0.00 ms  (average mu = 1.000, current mu = 1.000) testing; GC in old space requested',
  'N{"event":"heap-start","base":3250000}',
  '[29781:0x293ecc40]      187 ms: Scavenge 4.4 (4.5) -> 4.1 (5.5) MB, 10.09 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
  'user output 99.0 (1.0) -> 1.0 (1.0) MB is not a GC line',
  '[29781:0x293ecc40]      431 ms: Scavenge 22.1 (30.5) -> 21.1 (52.2) MB, 65.27 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
  '[29781:0x293ecc40]      520 ms: Mark-Compact 30.5 (40.0) -> 12.0 (40.0) MB, 30.00 / 0.00 ms  (average mu = 0.900, current mu = 0.900) allocation failure; scavenge might not succeed',
  'N{"event":"heap-stop","maxUsed":13000000}',
  '[29781:0x293ecc40]      600 ms: Mark-Compact 90.0 (99.0) -> 1.0 (99.0) MB, 1.00 / 0.00 ms  after the window',
].join('\n');

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 2 });

describe('gcPeaksBetween', () => {
  it('reads the heap used before each GC inside the window, in bytes', () => {
    expect(gcPeaksBetween(STDOUT, 'N{"event":"heap-start"', 'N{"event":"heap-stop"')).toEqual(
      [4.4, 22.1, 30.5].map((mb) => Math.round(mb * 1024 * 1024)),
    );
  });

  it('is empty without a start marker', () => {
    expect(gcPeaksBetween(STDOUT, 'nope', 'N{"event":"heap-stop"')).toEqual([]);
  });
});

describe('heapToMemory', () => {
  const profile = {
    head: {
      callFrame: frame('(root)', '', -1),
      selfSize: 0,
      children: [
        {
          callFrame: frame('build', 'file:///r/src/a.js', 4),
          selfSize: 5000,
          children: [{ callFrame: frame('', 'file:///r/src/a.js', 6), selfSize: 9000, children: [] }],
        },
        { callFrame: frame('build', 'file:///r/src/a.js', 4), selfSize: 1000, children: [] },
        { callFrame: frame('drive', 'file:///r/.evolve-perf/profile_driver.mjs', 10), selfSize: 99_999, children: [] },
        { callFrame: frame('(V8 API)', '', 0), selfSize: 50_000, children: [] },
      ],
    },
    samples: [],
  };

  it('peaks at the largest of the GC figures and the marks, above the base; sites merged by file:line, driver left out', () => {
    const m = heapToMemory({ base: 1_000_000, gcPeaks: [2_000_000, 7_000_000], maxUsed: 5_000_000, profile }, plainMapper('/r'));
    expect(m).toEqual({
      tool: 'v8-heap',
      peakBytes: 6_000_000,
      top: [
        { file: 'src/a.js', line: 7, bytes: 9000 },
        { file: 'src/a.js', line: 5, bytes: 6000 },
      ],
    });
  });

  it('never reports a negative peak and rejects a malformed profile', () => {
    expect(heapToMemory({ base: 9e9, gcPeaks: [], maxUsed: 1, profile }, plainMapper('/r')).peakBytes).toBe(0);
    expect(() => heapToMemory({ base: 0, gcPeaks: [], maxUsed: 0, profile: { head: { selfSize: 'x' } } }, plainMapper('/r'))).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });
});
