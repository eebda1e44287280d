// Codegen store on the real DB worker (SQLCipher): generations, rounds, decisions, experience retrieval by FTS,
// generation.* audit rows (chain verifies) and the apply gate (blocked; override audited); bad input is typed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../common/codegen/types';
import { CODEGEN_LIMITS } from '../../../common/store/codegen-requests';
import { CodegenStore } from '../../../main/services/codegen/codegen-store';
import { scoreCandidate } from '../../../main/services/codegen/score';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const HIGH: Finding = {
  tool: 'bandit',
  ruleId: 'B602',
  severity: 'high',
  file: 'main.py',
  line: 3,
  message: 'subprocess call with shell=True',
};
const SLUG = `def slugify(title: str) -> str:\n    """Lower-case, hyphen-separated slug."""\n    return "-".join(title.lower().split())\n`;

describe('codegen store (real DB worker)', () => {
  const tmp = tempDir('evolve-codegen-store-');
  let s: TestStore;
  let store: CodegenStore;
  let projectId: string;
  let otherProject: string;

  /** A generation run to the end with the given findings and code. */
  async function finished(request: string, opts: { findings?: Finding[]; code?: string; project?: string | null } = {}) {
    const g = await store.create({
      projectId: opts.project === undefined ? projectId : opts.project,
      request,
      type: 'function',
      lang: 'python',
      model: 'qwen2.5-coder-1.5b',
    });
    const code = opts.code ?? 'def f():\n    return 1\n';
    const score = scoreCandidate({ language: 'python', code, compiles: true, security: opts.findings ?? [], lint: [] });
    return store.finish({
      generationId: g.id,
      status: 'done',
      code,
      score: score.score,
      breakdown: score.breakdown,
      findings: opts.findings ?? [],
    });
  }

  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'codegen.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    store = new CodegenStore(s.client);
    projectId = (await s.client.call('project.create', { name: 'shop' })).id;
    otherProject = (await s.client.call('project.create', { name: 'other' })).id;
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('stores a generation with its rounds, score and breakdown, and audits its creation', async () => {
    const g = await store.create({ projectId, request: 'add two numbers', type: 'function', lang: 'python', model: 'm' });
    expect(g).toMatchObject({ status: 'running', code: null, score: null, decision: null });
    await store.addRound({
      generationId: g.id,
      round: 0,
      code: 'def add(a, b) return a + b',
      checks: { compile: { ok: false, findings: [{ ruleId: 'E999', line: 1 }] } },
      testOutput: 'SyntaxError: expected ":"',
      promptTokens: 120,
      completionTokens: 30,
      ms: 850,
    });
    await store.addRound({
      generationId: g.id,
      round: 1,
      code: SLUG,
      checks: { compile: { ok: true } },
      testOutput: '3 passed',
      promptTokens: 160,
      completionTokens: 34,
      ms: 910,
    });
    await expect(
      store.addRound({
        generationId: g.id,
        round: 1,
        code: 'x',
        checks: null,
        testOutput: '',
        promptTokens: 0,
        completionTokens: 0,
        ms: 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const score = scoreCandidate({
      language: 'python',
      code: SLUG,
      compiles: true,
      lint: [],
      security: [],
      tests: { docstring: { passed: 3, total: 3 } },
    });
    await store.finish({ generationId: g.id, status: 'done', code: SLUG, score: score.score, breakdown: score.breakdown });

    const got = await store.get(g.id);
    expect(got.status).toBe('done');
    expect(got.score).toBe(score.score);
    expect(got.breakdown).toEqual(score.breakdown);
    expect(got.rounds.map((r) => [r.round, r.testOutput, r.promptTokens, r.completionTokens, r.ms])).toEqual([
      [0, 'SyntaxError: expected ":"', 120, 30, 850],
      [1, '3 passed', 160, 34, 910],
    ]);
    expect(got.rounds[0]?.checks).toEqual({ compile: { ok: false, findings: [{ ruleId: 'E999', line: 1 }] } });
    expect((await store.list(projectId)).map((x) => x.id)).toContain(g.id);

    const created = await s.client.call('audit.list', { kinds: ['generation.created'] });
    expect(created.map((r) => r.data)).toContainEqual({ generationId: g.id, projectId, type: 'function', lang: 'python', model: 'm' });
  });

  it('experience: a rejection reason reaches a similar prompt; an accepted example is returned for a similar task', async () => {
    const bad = await finished('parse a CSV line into a list of fields');
    await store.reject(bad.id, 'Use the csv module instead of str.split; quoted commas break it');
    const good = await finished('slugify a blog post title for URLs', { code: SLUG });
    await store.accept(good.id);
    await store.recordUserEdits(good.id, '@@ -1 +1 @@\n-def slugify(title: str) -> str:\n+def slugify(title: str, sep: str = "-") -> str:');
    const unrelated = await finished('compute the median of a list', { project: otherProject });
    await store.reject(unrelated.id, 'wrong for even-length input');

    const csv = await store.similarDecisions(projectId, 'Write a function that parses one line of a CSV file', 5);
    expect(csv.rejected.map((h) => [h.generationId, h.reason])).toEqual([
      [bad.id, 'Use the csv module instead of str.split; quoted commas break it'],
    ]);
    expect(csv.rejected[0]?.code).toBeNull(); // a rejected answer is never offered as an example

    const slug = await store.similarDecisions(projectId, 'make a URL slug from an article title');
    expect(slug.accepted.map((h) => h.generationId)).toEqual([good.id]);
    expect(slug.accepted[0]).toMatchObject({ code: SLUG, userEdits: expect.stringContaining('sep: str = "-"') });

    // Scoped to the project: the other project's rejection is not returned, and nothing matches an unrelated prompt.
    expect((await store.similarDecisions(projectId, 'median of numbers')).rejected).toEqual([]);
    expect((await store.similarDecisions(otherProject, 'median of numbers')).rejected.map((h) => h.generationId)).toEqual([unrelated.id]);

    // The latest decision wins: a rejection later accepted is no longer returned as a rejection.
    await store.accept(bad.id, 'fixed by hand');
    const again = await store.similarDecisions(projectId, 'parse a CSV line');
    expect(again.rejected).toEqual([]);
    expect(again.accepted.map((h) => h.generationId)).toEqual([bad.id]);

    const rows = await s.client.call('audit.list', { kinds: ['generation.accepted', 'generation.rejected'] });
    expect(rows.map((r) => [r.kind, (r.data as { generationId: string }).generationId])).toEqual([
      ['generation.rejected', bad.id],
      ['generation.accepted', good.id],
      ['generation.rejected', unrelated.id],
      ['generation.accepted', bad.id],
    ]);
    expect(rows[0]?.data).toMatchObject({ reason: 'Use the csv module instead of str.split; quoted commas break it', projectId });
  });

  it('the gate blocks a high-severity finding; an override needs a reason and is audited; the chain verifies', async () => {
    const clean = await finished('run a shell command safely');
    await expect(store.assertApplicable(clean.id)).resolves.toEqual({ blocking: [], overridden: false });

    const risky = await finished('run the user command in a shell', { findings: [HIGH, { ...HIGH, severity: 'medium', ruleId: 'B404' }] });
    await expect(store.assertApplicable(risky.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('B602 at main.py:3'),
    });
    await expect(store.assertApplicable(risky.id, { override: { reason: '   ' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await s.client.call('audit.list', { kinds: ['generation.gate_override'] })).toEqual([]);

    const r = await store.assertApplicable(risky.id, { override: { reason: 'internal admin tool, input is trusted' } });
    expect(r).toEqual({ blocking: [HIGH], overridden: true });
    const overrides = await s.client.call('audit.list', { kinds: ['generation.gate_override'] });
    expect(overrides.map((o) => o.data)).toEqual([
      {
        generationId: risky.id,
        projectId,
        reason: 'internal admin tool, input is trusted',
        findings: [{ tool: 'bandit', ruleId: 'B602', file: 'main.py', line: 3 }],
        findingsTotal: 1,
      },
    ]);

    const failed = await store.create({ projectId, request: 'x', type: 'function', lang: 'python', model: 'm' });
    await expect(store.assertApplicable(failed.id)).rejects.toMatchObject({ code: 'CONFLICT' }); // still running
    await store.finish({ generationId: failed.id, status: 'failed', error: 'model answered with no code' });
    await expect(store.assertApplicable(failed.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(store.accept(failed.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await store.reject(failed.id, 'answered with prose only')).decision?.decision).toBe('rejected');

    const verify = await s.client.call('audit.verify', {});
    expect(verify).toMatchObject({ ok: true });
    expect(verify.ok && verify.count).toBeGreaterThanOrEqual(10);
  });

  it('bad input is a typed error and stores nothing', async () => {
    await expect(store.get('no-such-generation')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.accept('no-such-generation')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.assertApplicable('no-such-generation')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.recordUserEdits('no-such-generation', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.create({ projectId, request: '', type: 'function', lang: 'python', model: 'm' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(store.create({ projectId, request: 'x', type: 'function', lang: 'cobol' as never, model: 'm' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      store.create({ projectId: 'no-such-project', request: 'x', type: 'function', lang: 'python', model: 'm' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const g = await store.create({ projectId, request: 'oversize', type: 'function', lang: 'python', model: 'm' });
    await expect(store.accept(g.id)).rejects.toMatchObject({ code: 'CONFLICT' }); // still running
    await expect(
      store.addRound({
        generationId: g.id,
        round: 0,
        code: 'x',
        checks: null,
        testOutput: 'y'.repeat(CODEGEN_LIMITS.testOutput + 1),
        promptTokens: 0,
        completionTokens: 0,
        ms: 1,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.finish({ generationId: g.id, status: 'done', code: 'z'.repeat(CODEGEN_LIMITS.code + 1) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect((await store.get(g.id)).rounds).toEqual([]);
    await expect(
      store.create({ projectId, request: 'r'.repeat(CODEGEN_LIMITS.request + 1), type: 'function', lang: 'python', model: 'm' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // At the limit is fine: a 2 MB answer crosses the worker boundary and reads back byte for byte.
    const big = 'b'.repeat(CODEGEN_LIMITS.code - 1) + '\n';
    await store.finish({ generationId: g.id, status: 'done', code: big });
    expect((await store.get(g.id)).code).toBe(big);
    await expect(store.finish({ generationId: g.id, status: 'done', code: 'again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(store.reject(g.id, '  ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.recordUserEdits(g.id, 'diff')).rejects.toMatchObject({ code: 'NOT_FOUND' }); // not accepted
    expect((await store.get(g.id)).decisions).toEqual([]);
    // A request with no searchable word finds no similar decision (the project's learned conventions still come back).
    const none = await store.similarDecisions(projectId, '?? !!');
    expect(none.accepted).toEqual([]);
    expect(none.rejected).toEqual([]);
  });
});
