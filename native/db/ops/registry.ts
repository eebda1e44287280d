// Worker handlers for registries and records: models, provider configs, cluster profiles, jobs + logs, usage, settings.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { ClusterProfile, Job, Json, ModelEntry, ProviderConfig, Setting, Usage } from '../../../common/store/rows';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

type Row = Record<string, unknown>;
const j = (v: unknown) => JSON.parse(v as string) as Json;
const sOrN = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const nOrN = (v: unknown) => (v === null || v === undefined ? null : (v as number));

const toModel = (r: Row): ModelEntry => ({
  id: r.id as string,
  name: r.name as string,
  path: sOrN(r.path),
  format: r.format as string,
  sizeBytes: nOrN(r.size_bytes),
  sha256: sOrN(r.sha256),
  params: j(r.params),
  addedAt: r.added_at as number,
});
const toProvider = (r: Row): ProviderConfig => ({
  id: r.id as string,
  kind: r.kind as string,
  name: r.name as string,
  baseUrl: sOrN(r.base_url),
  defaultModel: sOrN(r.default_model),
  options: j(r.options),
  enabled: r.enabled === 1,
  updatedAt: r.updated_at as number,
});
const toCluster = (r: Row): ClusterProfile => ({
  id: r.id as string,
  name: r.name as string,
  dashboardUrl: r.dashboard_url as string,
  prometheusUrl: sOrN(r.prometheus_url),
  options: j(r.options),
  updatedAt: r.updated_at as number,
});
const toJob = (r: Row): Job => ({
  id: r.id as string,
  clusterProfileId: sOrN(r.cluster_profile_id),
  entrypoint: r.entrypoint as string,
  status: r.status as string,
  submittedAt: r.submitted_at as number,
  endedAt: nOrN(r.ended_at),
  metadata: j(r.metadata),
});
const toUsage = (r: Row): Usage => ({
  id: r.id as string,
  projectId: sOrN(r.project_id),
  provider: r.provider as string,
  model: r.model as string,
  inputTokens: r.input_tokens as number,
  outputTokens: r.output_tokens as number,
  costUsd: r.cost_usd as number,
  latencyMs: r.latency_ms as number,
  at: r.at as number,
});
const toSetting = (r: Row): Setting => ({ key: r.key as string, value: j(r.value), updatedAt: r.updated_at as number });

function write<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromSqlite(e, what);
  }
}

export function registryOps(db: () => StoreDb) {
  return {
    'model.upsert': (p: P<'model.upsert'>): R<'model.upsert'> => {
      const addedAt = Date.now();
      write('Saving the model', () =>
        db().run(
          `INSERT INTO models (id, name, path, format, size_bytes, sha256, params, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, path = excluded.path, format = excluded.format,
             size_bytes = excluded.size_bytes, sha256 = excluded.sha256, params = excluded.params`,
          p.id,
          p.name,
          p.path,
          p.format,
          p.sizeBytes,
          p.sha256,
          JSON.stringify(p.params),
          addedAt,
        ),
      );
      return toModel(db().get<Row>('SELECT * FROM models WHERE id = ?', p.id) as Row);
    },
    'model.list': (): R<'model.list'> => db().all<Row>('SELECT * FROM models ORDER BY name').map(toModel),
    'model.remove': (p: P<'model.remove'>): R<'model.remove'> => ({
      removed: db().run('DELETE FROM models WHERE id = ?', p.id).changes > 0,
    }),
    'provider.upsert': (p: P<'provider.upsert'>): R<'provider.upsert'> => {
      write('Saving the provider', () =>
        db().run(
          `INSERT INTO provider_configs (id, kind, name, base_url, default_model, options, enabled, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, base_url = excluded.base_url,
             default_model = excluded.default_model, options = excluded.options, enabled = excluded.enabled, updated_at = excluded.updated_at`,
          p.id,
          p.kind,
          p.name,
          p.baseUrl,
          p.defaultModel,
          JSON.stringify(p.options),
          p.enabled ? 1 : 0,
          Date.now(),
        ),
      );
      return toProvider(db().get<Row>('SELECT * FROM provider_configs WHERE id = ?', p.id) as Row);
    },
    'provider.list': (): R<'provider.list'> => db().all<Row>('SELECT * FROM provider_configs ORDER BY name').map(toProvider),
    'provider.remove': (p: P<'provider.remove'>): R<'provider.remove'> => ({
      removed: db().run('DELETE FROM provider_configs WHERE id = ?', p.id).changes > 0,
    }),
    'cluster.upsert': (p: P<'cluster.upsert'>): R<'cluster.upsert'> => {
      write('Saving the cluster profile', () =>
        db().run(
          `INSERT INTO cluster_profiles (id, name, dashboard_url, prometheus_url, options, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, dashboard_url = excluded.dashboard_url,
             prometheus_url = excluded.prometheus_url, options = excluded.options, updated_at = excluded.updated_at`,
          p.id,
          p.name,
          p.dashboardUrl,
          p.prometheusUrl,
          JSON.stringify(p.options),
          Date.now(),
        ),
      );
      return toCluster(db().get<Row>('SELECT * FROM cluster_profiles WHERE id = ?', p.id) as Row);
    },
    'cluster.list': (): R<'cluster.list'> => db().all<Row>('SELECT * FROM cluster_profiles ORDER BY name').map(toCluster),
    'job.upsert': (p: P<'job.upsert'>): R<'job.upsert'> => {
      write('Saving the job', () =>
        db().run(
          `INSERT INTO jobs (id, cluster_profile_id, entrypoint, status, submitted_at, ended_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, metadata = excluded.metadata`,
          p.id,
          p.clusterProfileId,
          p.entrypoint,
          p.status,
          p.submittedAt,
          p.endedAt,
          JSON.stringify(p.metadata),
        ),
      );
      return toJob(db().get<Row>('SELECT * FROM jobs WHERE id = ?', p.id) as Row);
    },
    'job.list': (p: P<'job.list'>): R<'job.list'> =>
      (p.clusterProfileId === undefined
        ? db().all<Row>('SELECT * FROM jobs ORDER BY submitted_at DESC LIMIT ?', p.limit)
        : db().all<Row>('SELECT * FROM jobs WHERE cluster_profile_id IS ? ORDER BY submitted_at DESC LIMIT ?', p.clusterProfileId, p.limit)
      ).map(toJob),
    'job.appendLog': (p: P<'job.appendLog'>): R<'job.appendLog'> =>
      db().tx(() => {
        if (!db().get('SELECT 1 FROM jobs WHERE id = ?', p.jobId)) throw new EvolveError('NOT_FOUND', `No job ${p.jobId}`);
        const last = db().get<{ s: number | null }>('SELECT max(seq) AS s FROM job_logs WHERE job_id = ?', p.jobId);
        const chunk = { jobId: p.jobId, seq: (last?.s ?? 0) + 1, text: p.text, at: Date.now() };
        db().run('INSERT INTO job_logs (job_id, seq, text, at) VALUES (?, ?, ?, ?)', chunk.jobId, chunk.seq, chunk.text, chunk.at);
        return chunk;
      }),
    'job.logs': (p: P<'job.logs'>): R<'job.logs'> =>
      db()
        .all<Row>('SELECT * FROM job_logs WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?', p.jobId, p.afterSeq, p.limit)
        .map((r) => ({ jobId: r.job_id as string, seq: r.seq as number, text: r.text as string, at: r.at as number })),
    'usage.record': (p: P<'usage.record'>): R<'usage.record'> => {
      const u: Usage = { ...p, id: p.id ?? randomUUID(), at: p.at ?? Date.now() };
      write('Recording usage', () =>
        db().run(
          'INSERT INTO usage (id, project_id, provider, model, input_tokens, output_tokens, cost_usd, latency_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          u.id,
          u.projectId,
          u.provider,
          u.model,
          u.inputTokens,
          u.outputTokens,
          u.costUsd,
          u.latencyMs,
          u.at,
        ),
      );
      return toUsage(db().get<Row>('SELECT * FROM usage WHERE id = ?', u.id) as Row);
    },
    'usage.summary': (p: P<'usage.summary'>): R<'usage.summary'> => {
      const where = p.projectId === undefined ? 'at >= ?' : 'at >= ? AND project_id IS ?';
      const args: unknown[] = p.projectId === undefined ? [p.since] : [p.since, p.projectId];
      return db()
        .all<Row>(
          `SELECT provider, model, count(*) AS calls, sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cost_usd) AS c, avg(latency_ms) AS l
           FROM usage WHERE ${where} GROUP BY provider, model ORDER BY c DESC`,
          ...args,
        )
        .map((r) => ({
          provider: r.provider as string,
          model: r.model as string,
          calls: r.calls as number,
          inputTokens: r.i as number,
          outputTokens: r.o as number,
          costUsd: r.c as number,
          avgLatencyMs: r.l as number,
        }));
    },
    'usage.byProject': (p: P<'usage.byProject'>): R<'usage.byProject'> =>
      db()
        .all<Row>('SELECT project_id, sum(cost_usd) AS c FROM usage WHERE at >= ? GROUP BY project_id', p.since)
        .map((r) => ({ projectId: sOrN(r.project_id), costUsd: Math.max(0, r.c as number) })),
    'setting.get': (p: P<'setting.get'>): R<'setting.get'> => {
      const r = db().get<Row>('SELECT * FROM settings WHERE key = ?', p.key);
      return r ? toSetting(r) : null;
    },
    'setting.set': (p: P<'setting.set'>): R<'setting.set'> => {
      const s: Setting = { key: p.key, value: p.value, updatedAt: Date.now() };
      db().run(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        s.key,
        JSON.stringify(s.value),
        s.updatedAt,
      );
      return s;
    },
    'setting.list': (): R<'setting.list'> => db().all<Row>('SELECT * FROM settings ORDER BY key').map(toSetting),
  };
}
