// The DB worker end to end: open, migrate, typed requests for every domain, malformed input, FTS search, slow queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EvolveError } from '../../../common/errors';
import { LATEST_VERSION, MIGRATIONS } from '../../../native/db/migrations';
import { makeStore, newKey, tempDir, type TestStore } from './helpers';

describe('store worker round trip', () => {
  const tmp = tempDir();
  let s: TestStore;
  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'evolve.db'), newKey());
  });
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('creates and migrates a new database', async () => {
    const r = await s.client.open();
    expect(r.created).toBe(true);
    expect(r.schemaVersion).toBe(LATEST_VERSION);
    expect(r.migrationsApplied).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('stores and lists content', async () => {
    const p = await s.client.call('project.create', { name: 'Demo', rootPath: '/src/demo' });
    const t = await s.client.call('thread.create', { projectId: p.id, title: 'first' });
    await s.client.call('message.append', { threadId: t.id, role: 'user', content: 'how do I parse quaternions in rust' });
    await s.client.call('message.append', { threadId: t.id, role: 'assistant', content: 'use the nalgebra crate', model: 'qwen' });
    const msgs = await s.client.call('message.list', { threadId: t.id });
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant']);
    const g = await s.client.call('generation.record', {
      projectId: p.id,
      prompt: 'write a tokenizer',
      provider: 'local',
      model: 'qwen',
      output: 'fn tokenize() {}',
      contextRefs: ['src/lib.rs'],
    });
    expect(g.decision).toBe('pending');
    const d = await s.client.call('generation.decide', { id: g.id, decision: 'accepted', validation: { compile: 'ok' } });
    expect(d.decision).toBe('accepted');
    expect(d.validation).toEqual({ compile: 'ok' });
    expect(d.decidedAt).not.toBeNull();
    expect((await s.client.call('project.list', {})).map((x) => x.name)).toEqual(['Demo']);
  });

  it('searches messages and generations with FTS5 (and keeps the index in sync)', async () => {
    const hits = await s.client.call('search', { query: 'quaternions' });
    expect(hits).toHaveLength(1);
    expect(hits[0]?.kind).toBe('message');
    expect(hits[0]?.snippet).toContain('[quaternions]');
    const gen = await s.client.call('search', { query: 'tokenizer', kinds: ['generation'] });
    expect(gen).toHaveLength(1);
    // FTS operators in user text are just words, never a syntax error.
    expect(await s.client.call('search', { query: 'NEAR( "unbalanced' })).toEqual([]);
  });

  it('keeps registries, jobs, usage and settings', async () => {
    await s.client.call('model.upsert', {
      id: 'm1',
      name: 'Qwen 0.5B',
      path: '/models/q.gguf',
      format: 'gguf',
      sizeBytes: 123,
      sha256: null,
      params: { ctx: 4096 },
    });
    expect((await s.client.call('model.list', {}))[0]?.params).toEqual({ ctx: 4096 });
    await s.client.call('provider.upsert', {
      id: 'openai',
      kind: 'openai',
      name: 'OpenAI',
      baseUrl: null,
      defaultModel: 'gpt',
      options: { keychainAccount: 'openai' },
      enabled: true,
    });
    await expect(
      s.client.call('provider.upsert', {
        id: 'bad',
        kind: 'openai',
        name: 'x',
        baseUrl: null,
        defaultModel: null,
        options: { apiKey: 'sk-1' },
        enabled: true,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await s.client.call('cluster.upsert', { id: 'c1', name: 'lab', dashboardUrl: 'http://ray:8265', prometheusUrl: null, options: {} });
    await s.client.call('job.upsert', {
      id: 'raysubmit_1',
      clusterProfileId: 'c1',
      entrypoint: 'python train.py',
      status: 'RUNNING',
      submittedAt: 1,
      endedAt: null,
      metadata: null,
    });
    await s.client.call('job.appendLog', { jobId: 'raysubmit_1', text: 'epoch 1\n' });
    await s.client.call('job.appendLog', { jobId: 'raysubmit_1', text: 'epoch 2\n' });
    expect((await s.client.call('job.logs', { jobId: 'raysubmit_1', afterSeq: 1 })).map((c) => c.text)).toEqual(['epoch 2\n']);
    await expect(s.client.call('job.appendLog', { jobId: 'nope', text: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await s.client.call('usage.record', {
      projectId: null,
      provider: 'openai',
      model: 'gpt',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.01,
      latencyMs: 300,
    });
    await s.client.call('usage.record', {
      projectId: null,
      provider: 'openai',
      model: 'gpt',
      inputTokens: 20,
      outputTokens: 5,
      costUsd: 0.02,
      latencyMs: 100,
    });
    const sum = await s.client.call('usage.summary', {});
    expect(sum[0]).toMatchObject({ calls: 2, inputTokens: 30, outputTokens: 10, avgLatencyMs: 200 });
    await s.client.call('setting.set', { key: 'theme', value: 'dark' });
    await s.client.call('setting.set', { key: 'theme', value: 'light' });
    expect((await s.client.call('setting.get', { key: 'theme' }))?.value).toBe('light');
    const audit = await s.client.call('audit.list', { kinds: ['settings.change'] });
    expect(audit.map((a) => a.data)).toEqual([
      { key: 'theme', to: 'dark' },
      { key: 'theme', from: 'dark', to: 'light' },
    ]);
  });

  it('rejects malformed params with INVALID_ARGUMENT and never echoes a key', async () => {
    const err = await s.client.call('message.append', { threadId: '', role: 'robot', content: 1 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvolveError);
    expect((err as EvolveError).code).toBe('INVALID_ARGUMENT');
    const secret = 'zz'.repeat(32);
    const e2 = await s.supervisor.request('open', { path: s.path, key: secret }).catch((e: unknown) => e);
    expect((e2 as EvolveError).code).toBe('INVALID_ARGUMENT');
    expect(JSON.stringify((e2 as EvolveError).toInfo())).not.toContain(secret);
    await expect(s.supervisor.request('no.such.method', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports missing rows as NOT_FOUND and duplicates as CONFLICT', async () => {
    await expect(s.client.call('generation.get', { id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await s.client.call('project.create', { id: 'dup', name: 'a' });
    await expect(s.client.call('project.create', { id: 'dup', name: 'b' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.client.call('thread.create', { projectId: 'no-such-project' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('logs slow queries over the threshold (SQL only, never bound values) and reports them in status', async () => {
    const st = await s.client.call('status', {});
    expect(st).toMatchObject({ open: true, slowQueries: [] });
    expect(st.sqliteVersion).toMatch(/^3\./);
    const logs: string[] = [];
    const slow = makeStore(join(tmp.dir, 'slow.db'), newKey(), { slowQueryMs: 0, log: (_l, m) => logs.push(m) });
    await slow.client.open();
    await slow.client.call('project.create', { name: 'VALUE-NOT-IN-LOG' });
    const q = (await slow.client.call('status', {})).slowQueries;
    expect(q.some((x) => x.sql.startsWith('INSERT INTO projects'))).toBe(true);
    expect(logs.some((m) => m.includes('slow query') && m.includes('INSERT INTO projects'))).toBe(true);
    expect(JSON.stringify(q) + logs.join()).not.toContain('VALUE-NOT-IN-LOG');
    await slow.client.close();
  });
});
