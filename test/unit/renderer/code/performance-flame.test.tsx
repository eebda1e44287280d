// The flame graph's converter (sampled profile → merged { name, value, children } tree, typed errors on bad input)
// and the component's static markup: search box, reset button, empty and malformed profiles.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../../common/errors';
import type { Profile } from '../../../../common/perf/types';
import { FlameGraph, frameLabel } from '../../../../renderer/features/code/performance/FlameGraph';
import { flameNameMatches, matchedMs, profileToFlameTree, type FlameNode } from '../../../../renderer/features/code/performance/flame-tree';

const PROFILE: Profile = {
  language: 'python',
  tool: 'pyinstrument',
  frames: [
    { name: 'main', file: 'app.py', line: 1 },
    { name: 'parse', file: 'app.py', line: 10 },
    { name: 'sort_items', file: 'app.py', line: 20 },
    { name: 'len' },
    // A second entry for the same function: must merge with frame 1.
    { name: 'parse', file: 'app.py', line: 10 },
  ],
  samples: [[0, 1, 3], [0, 1], [0, 2], [0, 4, 3], [0, 2], []],
  weightsMs: [2, 3, 10, 1, 5, 0.5],
  totalMs: 21.5,
};

function child(n: FlameNode, name: string): FlameNode {
  const c = n.children.find((x) => x.name === name);
  if (!c) throw new Error(`no child ${name} under ${n.name}`);
  return c;
}

describe('profileToFlameTree', () => {
  it('merges identical stacks (also across duplicate frame entries) with inclusive and self times', () => {
    const root = profileToFlameTree(PROFILE);
    expect(root.value).toBe(21.5);
    expect(root.selfMs).toBe(0.5); // the empty stack
    expect(root.children.map((c) => c.name)).toEqual(['main']);
    const main = child(root, 'main');
    expect(main.value).toBe(21);
    expect(main.selfMs).toBe(0);
    // Heaviest first: sort_items (15) before parse (6).
    expect(main.children.map((c) => [c.name, c.value])).toEqual([
      ['sort_items', 15],
      ['parse', 6],
    ]);
    const parse = child(main, 'parse');
    expect(parse).toMatchObject({ file: 'app.py', line: 10, selfMs: 3 });
    expect(child(parse, 'len')).toMatchObject({ value: 3, selfMs: 3, children: [] });
    expect(child(parse, 'len').file).toBeUndefined();
  });

  it('keeps the same name in different files apart', () => {
    const root = profileToFlameTree({
      ...PROFILE,
      frames: [
        { name: 'run', file: 'a.py', line: 1 },
        { name: 'run', file: 'b.py', line: 1 },
      ],
      samples: [[0], [1]],
      weightsMs: [1, 2],
      totalMs: 3,
    });
    expect(root.children.map((c) => c.file)).toEqual(['b.py', 'a.py']);
  });

  it('refuses a stack naming a frame that does not exist, with a typed error', () => {
    const bad = { ...PROFILE, samples: [[0, 9]], weightsMs: [1] };
    expect(() => profileToFlameTree(bad)).toThrow(EvolveError);
    expect(() => profileToFlameTree(bad)).toThrow(/sample 0 names frame 9 of 5/);
  });

  it('refuses samples and weights of different lengths, and schema violations', () => {
    expect(() => profileToFlameTree({ ...PROFILE, weightsMs: [1] })).toThrow(/6 samples but 1 weights/);
    try {
      profileToFlameTree({ ...PROFILE, weightsMs: PROFILE.weightsMs.map(() => -1) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EvolveError);
      expect((e as EvolveError).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('search', () => {
  it('matches substrings case-insensitively, never as a RegExp', () => {
    expect(flameNameMatches('sort_items', 'SORT')).toBe(true);
    expect(flameNameMatches('parse(', 'parse(')).toBe(true);
    expect(flameNameMatches('parse', '   ')).toBe(false);
    expect(flameNameMatches('parse', 'x')).toBe(false);
  });

  it('sums matched time without counting a nested match twice', () => {
    const root = profileToFlameTree({
      ...PROFILE,
      frames: [{ name: 'walk' }, { name: 'walk' }, { name: 'leaf' }],
      samples: [[0, 1, 2], [0, 2], [2]],
      weightsMs: [4, 2, 1],
      totalMs: 7,
    });
    expect(matchedMs(root, 'walk')).toBe(6);
    expect(matchedMs(root, 'leaf')).toBe(7);
  });
});

describe('FlameGraph markup', () => {
  it('renders a labelled search box, a disabled reset button and the graph host', () => {
    const html = renderToString(<FlameGraph profile={PROFILE} />);
    expect(html).toContain('data-testid="perf-flame-host"');
    expect(html).toMatch(/<label for="([^"]+)">Search<\/label><input id="\1" type="search"/);
    expect(html).toMatch(/<button type="button" disabled="" data-testid="perf-flame-reset">Reset zoom<\/button>/);
    expect(html).toContain('21.5 ms sampled');
  });

  it('says so when the profile holds no samples', () => {
    const html = renderToString(<FlameGraph profile={{ ...PROFILE, samples: [], weightsMs: [], totalMs: 0 }} />);
    expect(html).toContain('No samples in this profile');
    expect(html).not.toContain('perf-flame-host');
  });

  it('shows the typed error of a malformed profile instead of a wrong graph', () => {
    const html = renderToString(<FlameGraph profile={{ ...PROFILE, samples: [[7]], weightsMs: [1] }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('sample 0 names frame 7 of 5');
  });

  it('labels a frame with where it is, total, self and share', () => {
    const root = profileToFlameTree(PROFILE);
    const parse = child(child(root, 'main'), 'parse');
    expect(frameLabel(parse, root.value)).toBe('parse (app.py:10) — 6.0 ms total, 3.0 ms self, 27.9 %');
  });
});
