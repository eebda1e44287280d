// The repo map: Aider's weights, personalised PageRank, and the token budget.
import { describe, expect, it } from 'vitest';
import { pageRank } from '../../../native/index/pagerank';
import { buildRepoMap, identWeight, MAX_DEFINERS, rankDefinitions } from '../../../native/index/repo-map';
import type { FileTags, Tag } from '../../../native/index/types';

const def = (rel: string, name: string, line = 1): Tag => ({ rel, name, line, kind: 'function' });
const ref = (rel: string, name: string, line = 1): Tag => ({ rel, name, line, kind: 'call' });

/** Two clusters: app → {db, http} and cli → {args, fmt}; util is used by everyone. */
function project(): Map<string, FileTags> {
  return new Map<string, FileTags>([
    [
      'app/main.ts',
      {
        defs: [def('app/main.ts', 'startApp')],
        refs: [ref('app/main.ts', 'openDatabase'), ref('app/main.ts', 'listenHttp'), ref('app/main.ts', 'logLine')],
      },
    ],
    ['app/db.ts', { defs: [def('app/db.ts', 'openDatabase')], refs: [ref('app/db.ts', 'logLine')] }],
    ['app/http.ts', { defs: [def('app/http.ts', 'listenHttp')], refs: [ref('app/http.ts', 'logLine')] }],
    [
      'cli/main.ts',
      {
        defs: [def('cli/main.ts', 'runCli')],
        refs: [ref('cli/main.ts', 'parseArgs'), ref('cli/main.ts', 'formatTable'), ref('cli/main.ts', 'logLine')],
      },
    ],
    ['cli/args.ts', { defs: [def('cli/args.ts', 'parseArgs')], refs: [] }],
    ['cli/fmt.ts', { defs: [def('cli/fmt.ts', 'formatTable')], refs: [] }],
    ['util/log.ts', { defs: [def('util/log.ts', 'logLine')], refs: [] }],
  ]);
}

describe('pageRank', () => {
  it('sums to one and follows the personalisation', () => {
    const edges = [
      { from: 0, to: 1, weight: 1 },
      { from: 1, to: 2, weight: 1 },
      { from: 2, to: 0, weight: 1 },
      { from: 3, to: 2, weight: 1 },
    ];
    const uniform = pageRank(4, edges);
    expect([...uniform].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(uniform[2]).toBeGreaterThan(uniform[3]!); // 2 has two in-links, 3 none
    const personal = pageRank(4, edges, new Map([[3, 1]]));
    expect(personal[3]).toBeGreaterThan(uniform[3]!);
  });
});

describe('identWeight', () => {
  it('applies Aider multipliers', () => {
    const none = new Set<string>();
    expect(identWeight('run', none, 1)).toBe(1);
    expect(identWeight('run', new Set(['run']), 1)).toBe(10);
    expect(identWeight('openDatabase', none, 1)).toBe(10); // long camelCase
    expect(identWeight('_run', none, 1)).toBeCloseTo(0.1);
    expect(identWeight('run', none, 6)).toBeCloseTo(0.1); // defined in more than 5 files
  });
});

describe('buildRepoMap', () => {
  it("ranks a focused file's neighbours first and leaves the focus file out", () => {
    const tags = project();
    const cli = buildRepoMap({ tags, focusFiles: ['cli/main.ts'], tokenBudget: 1000 });
    const order = cli.files.map((f) => f.rel);
    expect(order).not.toContain('cli/main.ts');
    // What cli/main uses comes before the app cluster, which it does not touch.
    expect(order.slice(0, 3).sort()).toEqual(['cli/args.ts', 'cli/fmt.ts', 'util/log.ts']);
    const app = buildRepoMap({ tags, focusFiles: ['app/main.ts'], tokenBudget: 1000 });
    expect(
      app.files
        .map((f) => f.rel)
        .slice(0, 3)
        .sort(),
    ).toEqual(['app/db.ts', 'app/http.ts', 'util/log.ts']);
    expect(app.text).toContain('app/db.ts:\n  1: function openDatabase');
  });

  it('lets mentioned identifiers pull their files up', () => {
    const tags = project();
    const rankOf = (defs: { name: string; rank: number }[], name: string) => defs.find((d) => d.name === name)!.rank;
    const plain = rankDefinitions({ tags, tokenBudget: 1000 }).defs;
    const mentioned = rankDefinitions({ tags, focusIdents: ['formatTable'], tokenBudget: 1000 }).defs;
    expect(rankOf(plain, 'formatTable')).toBeCloseTo(rankOf(plain, 'parseArgs'), 9); // symmetric without the mention
    expect(rankOf(mentioned, 'formatTable')).toBeGreaterThan(5 * rankOf(mentioned, 'parseArgs'));
  });

  it('fits the token budget with as many definitions as possible', () => {
    const tags = project();
    const full = buildRepoMap({ tags, tokenBudget: 10_000 });
    expect(full.files).toHaveLength(7);
    // The two mains define names nobody references: they come after every referenced definition.
    expect(
      full.files
        .map((f) => f.rel)
        .slice(5)
        .sort(),
    ).toEqual(['app/main.ts', 'cli/main.ts']);
    for (const budget of [5, 12, 20, 30]) {
      const m = buildRepoMap({ tags, tokenBudget: budget });
      expect(m.tokens).toBeLessThanOrEqual(budget);
      expect(m.tokens).toBe(Math.ceil(m.text.length / 4));
      // One more definition would not fit: the binary search found the largest prefix.
      if (m.files.length < full.files.length) expect(m.text.length).toBeLessThan(full.text.length);
    }
    expect(buildRepoMap({ tags, tokenBudget: 1 }).text).toBe('');
    const words = buildRepoMap({ tags, tokenBudget: 15, countTokens: (s) => s.split(/\s+/).filter(Boolean).length });
    expect(words.tokens).toBeLessThanOrEqual(15);
    expect(words.tokens).toBeGreaterThan(10);
  });

  it('still maps definitions when references only name things defined nowhere in the project', () => {
    const tags = new Map<string, FileTags>([
      ['a.py', { defs: [def('a.py', 'load_orders')], refs: [ref('a.py', 'print')] }],
      ['b.py', { defs: [def('b.py', 'send_invoice'), def('b.py', 'format_total')], refs: [ref('b.py', 'len')] }],
    ]);
    const m = buildRepoMap({ tags, tokenBudget: 1000 });
    expect(m.text).toContain('a.py:\n  1: function load_orders');
    expect(m.text).toContain('send_invoice');
    expect(m.files.map((f) => f.rel).sort()).toEqual(['a.py', 'b.py']);
  });

  it('leaves names defined in more than MAX_DEFINERS files out of the graph', () => {
    const tags = new Map<string, FileTags>();
    for (let i = 0; i <= MAX_DEFINERS; i++) tags.set(`rules/r${i}.js`, { defs: [def(`rules/r${i}.js`, 'create')], refs: [] });
    tags.set('lib/special.js', { defs: [def('lib/special.js', 'buildSpecialThing')], refs: [] });
    tags.set('main.js', { defs: [], refs: [ref('main.js', 'create'), ref('main.js', 'buildSpecialThing')] });
    const { defs } = rankDefinitions({ tags, tokenBudget: 1000 });
    // `create` got no edge: every rules file ranks as unreferenced, far below the one referenced definition.
    expect(defs[0]).toMatchObject({ rel: 'lib/special.js', name: 'buildSpecialThing' });
    const create = defs.filter((d) => d.name === 'create');
    expect(create).toHaveLength(MAX_DEFINERS + 1);
    for (const c of create) expect(c.rank).toBeLessThan((defs[0]?.rank ?? 0) / 100);
  });
});
