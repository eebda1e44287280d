// The converters on real profiler outputs (test/fixtures/perf/profile/README.md says how they were made):
// pyinstrument JSON → Profile, cProfile rows → hot table, V8 .cpuprofile → Profile; malformed input is CORRUPT.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../../../common/perf/types';
import { cprofileHot, cpuProfileToProfile, hotFunctions, plainMapper, pyinstrumentToProfile } from '../../../../main/services/perf/profile';

const FIX = path.join(__dirname, '../../../fixtures/perf/profile');
const json = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(FIX, f), 'utf8'));

describe('pyinstrumentToProfile', () => {
  const p = pyinstrumentToProfile(json('pyinstrument-work.json'), '/tmp/fx');

  it('is a valid Profile whose total is the sampled time, with no host path', () => {
    expect(ProfileSchema.parse(p)).toEqual(p);
    const doc = json('pyinstrument-work.json') as { duration: number; root_frame: { time: number } };
    expect(p.totalMs).toBeCloseTo(doc.root_frame.time * 1000, 0);
    expect(p.samples.length).toBe(p.weightsMs.length);
    for (const f of p.frames) expect(f.file ?? '').not.toMatch(/^\/|\/tmp\/|pyenv/);
  });

  it('names the user frames relative to the root with their def line, and the stdlib by a short name', () => {
    expect(p.frames).toEqual(
      expect.arrayContaining([
        { name: 'fib', file: 'work.py', line: 4 },
        { name: 'pairs', file: 'work.py', line: 8 },
        { name: 'main', file: 'work.py', line: 12 },
      ]),
    );
    expect(p.frames.some((f) => f.file?.startsWith('json/'))).toBe(true);
    expect(p.frames.some((f) => f.name === '[self]')).toBe(false);
  });

  it('keeps the whole recursive stack and the hot table counts fib once per sample', () => {
    const fib = p.frames.findIndex((f) => f.name === 'fib');
    expect(Math.max(...p.samples.map((s) => s.filter((i) => i === fib).length))).toBeGreaterThan(5);
    const hot = hotFunctions(p);
    const row = hot.find((h) => h.name === 'fib')!;
    expect(row.totalMs).toBeLessThanOrEqual(p.totalMs);
    expect(row.totalMs).toBeGreaterThanOrEqual(row.selfMs);
  });

  it('rejects what is not pyinstrument JSON', () => {
    expect(() => pyinstrumentToProfile({ nodes: [] }, '/tmp')).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    expect(() => pyinstrumentToProfile({ duration: 1, root_frame: { function: 3 } }, '/tmp')).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });
});

describe('cprofileHot', () => {
  const hot = cprofileHot(json('cprofile-work.json'), '/tmp/fx');

  it('has exact call counts, self and cumulative time, sorted by self time', () => {
    const fib = hot.find((h) => h.name === 'fib')!;
    expect(fib).toMatchObject({ file: 'work.py', line: 4, calls: 21891 });
    // recursion: cProfile's cumulative time counts the outermost call only, so it equals the self time here
    expect(fib.totalMs).toBeCloseTo(fib.selfMs, 6);
    expect(hot.find((h) => h.name === 'main')).toMatchObject({ calls: 1, file: 'work.py', line: 12 });
    for (let i = 1; i < hot.length; i++) expect(hot[i - 1]!.selfMs).toBeGreaterThanOrEqual(hot[i]!.selfMs);
    const sum = hot.reduce((a, h) => a + h.selfPercent, 0);
    expect(sum).toBeGreaterThan(99);
    expect(sum).toBeLessThan(101);
  });

  it('shows builtins without a file and leaves out the profiler itself', () => {
    expect(hot.some((h) => h.name.startsWith('<built-in method') && h.file === undefined)).toBe(true);
    expect(hot.some((h) => h.name.includes('_lsprof.Profiler'))).toBe(false);
    expect(cprofileHot(json('cprofile-work.json'), '/tmp/fx', 2)).toHaveLength(2);
  });

  it('rejects malformed rows', () => {
    expect(() => cprofileHot([{ file: 'x', line: -1 }], '/')).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});

describe('cpuProfileToProfile', () => {
  const p = cpuProfileToProfile([json('fib.cpuprofile')], plainMapper('/tmp/fx'), 'javascript');

  it('is a valid Profile whose total is the profile span', () => {
    expect(ProfileSchema.parse(p)).toEqual(p);
    const raw = json('fib.cpuprofile') as { startTime: number; endTime: number; timeDeltas: number[] };
    const firstSample = raw.startTime + raw.timeDeltas[0]!;
    expect(p.totalMs).toBeCloseTo((raw.endTime - firstSample) / 1000, 0);
    expect(p.frames.some((f) => f.name === '(root)')).toBe(false);
  });

  it('finds fib (recursive) and pairs in fib.mjs with their 1-based lines at the top of the table', () => {
    const hot = hotFunctions(p, 5);
    expect(hot.slice(0, 3).map((h) => h.name)).toEqual(expect.arrayContaining(['fib']));
    expect(hot.find((h) => h.name === 'fib')).toMatchObject({ file: 'fib.mjs', line: 1 });
    const pairs = hotFunctions(p, 50).find((h) => h.name === 'pairs');
    expect(pairs).toMatchObject({ file: 'fib.mjs', line: 4 });
    const fib = hotFunctions(p, 50).find((h) => h.name === 'fib')!;
    expect(fib.totalMs).toBeLessThanOrEqual(p.totalMs);
  });

  it('drops the samples through a frame the mapper marks as the profiler’s own', () => {
    const dropFib = cpuProfileToProfile(
      [json('fib.cpuprofile')],
      (url, line0, col) =>
        line0 === 0 && url.endsWith('fib.mjs') ? { driver: true, drop: true } : plainMapper('/tmp/fx')(url, line0, col),
      'javascript',
    );
    expect(dropFib.frames.some((f) => f.name === 'fib')).toBe(false);
    expect(dropFib.totalMs).toBeLessThan(p.totalMs);
  });

  it('rejects a malformed profile', () => {
    expect(() => cpuProfileToProfile([{ nodes: 'x' }], plainMapper('/'), 'javascript')).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });
});
