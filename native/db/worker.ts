// DB worker entry: the only process that opens the SQLCipher database. Serves the typed request union (common/store/requests).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { EvolveError } from '../../common/errors';
import { StoreRequests, type StoreMethod } from '../../common/store/requests';
import { serveWorker, workerLog, type RequestContext, type WorkerHandler } from '../rpc/serve';
import { checkCipherPages, verdictOf } from './cipher-check';
import { restrictNewFiles, tightenDbFiles } from './file-modes';
import { GroupCommit } from './group-commit';
import { apiTokenOps } from './ops/api-tokens';
import { auditOps } from './ops/audit';
import { cacheOps } from './ops/cache';
import { clusterRoleOps } from './ops/cluster-roles';
import { codegenOps } from './ops/codegen';
import { contentOps } from './ops/content';
import { diagnosisOps } from './ops/job-diagnoses';
import { experienceOps } from './ops/experience';
import { indexProjectOps } from './ops/index-projects';
import { indexSearchOps } from './ops/index-search';
import { indexStoreOps } from './ops/index-store';
import { jobLogOps } from './ops/job-logs';
import { maintenanceOps } from './ops/maintenance';
import { registryOps } from './ops/registry';
import { Sqlite } from './sqlite';
import { DbState } from './state';

restrictNewFiles();
const state = new DbState((q) => workerLog('warn', `slow query (${q.ms} ms): ${q.sql}`, q));
const db = () => state.db;
const audit = auditOps(db, () => state.anchor);
const maintenance = maintenanceOps(state, audit.resetAnchor);
const registry = registryOps(db);
const jobLogs = jobLogOps(db, audit);

/** Parses params with the method's schema; the error lists paths and messages only, never the values (one may be a key). */
function parse<M extends StoreMethod>(method: M, params: unknown): z.output<(typeof StoreRequests)[M]['params']> {
  const r = StoreRequests[method].params.safeParse(params ?? {});
  if (r.success) return r.data as z.output<(typeof StoreRequests)[M]['params']>;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
  throw new EvolveError('INVALID_ARGUMENT', `${method}: ${issues.join('; ')}`, { issues });
}

// Whole-file operations run one at a time; ordinary requests keep flowing (SQLite's backup API copes with them).
let exclusive: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T> | T): Promise<T> {
  const run = exclusive.then(fn, fn);
  exclusive = run.catch(() => undefined);
  return run;
}

type Impl = { [M in StoreMethod]: (params: z.output<(typeof StoreRequests)[M]['params']>, ctx: RequestContext) => unknown };

const impl: Impl = {
  open: (p) =>
    serial(() => {
      const r = state.open({ path: resolve(p.path), key: p.key, synchronous: p.synchronous, slowQueryMs: p.slowQueryMs, verify: p.verify });
      tightenDbFiles(resolve(p.path));
      workerLog(
        'info',
        `database opened (schema ${r.schemaVersion}${r.migrationsApplied.length ? `, migrated ${r.migrationsApplied.join(',')}` : ''})`,
      );
      return r;
    }),
  close: () =>
    serial(() => {
      state.close();
      return { done: true as const };
    }),
  probeKey: (p) => {
    const path = resolve(p.path);
    if (!existsSync(path)) return { verdict: 'missing' as const };
    return { verdict: verdictOf(checkCipherPages(path, Buffer.from(p.key, 'hex'))) };
  },
  status: () => ({
    open: state.isOpen,
    schemaVersion: state.isOpen ? (state.db.db.pragma('user_version', { simple: true }) as number) : null,
    slowQueries: state.isOpen ? state.db.slowQueries : [],
    sqliteVersion: sqliteVersion(),
  }),
  integrityCheck: () => maintenance.integrityCheck(),
  rekey: (p) => serial(() => maintenance.rekey(p)),
  backup: (p, ctx) => serial(() => maintenance.backup(p, ctx)),
  restore: (p) => serial(() => maintenance.restore(p)),
  checkCandidate: (p) => maintenance.checkCandidate(p),
  ...contentOps(db),
  ...indexProjectOps(db),
  ...indexStoreOps(db),
  ...indexSearchOps(db),
  ...cacheOps(db),
  ...codegenOps(db, audit),
  ...experienceOps(db),
  ...diagnosisOps(db),
  ...apiTokenOps(db, audit),
  ...clusterRoleOps(db, audit),
  ...registry,
  ...audit.handlers,
  'jobLog.search': jobLogs['jobLog.search'],
  'jobLog.deleteJob': jobLogs['jobLog.deleteJob'],
  'jobLog.applyRetention': jobLogs['jobLog.applyRetention'],
  'jobLog.stats': jobLogs['jobLog.stats'],
  // A stored log chunk and its line index commit together (migration 9), so search never misses a stored log.
  'job.appendLog': (p) =>
    db().tx(() => {
      const chunk = registry['job.appendLog'](p);
      jobLogs.indexChunk(chunk);
      return chunk;
    }),
  'setting.set': (p) =>
    // A settings change and its audit row commit together or not at all.
    db().tx(() => {
      const before = registry['setting.get']({ key: p.key });
      const after = registry['setting.set'](p);
      audit.append({ kind: 'settings.change', data: { key: p.key, ...(before ? { from: before.value } : {}), to: after.value } });
      return after;
    }),
};

// Settings writes re-anchor after their transaction (append inside a transaction defers the anchor).
const settingSet = impl['setting.set'];
impl['setting.set'] = (p, ctx) => {
  const r = settingSet(p, ctx);
  audit.reanchor();
  return r;
};

function sqliteVersion(): string {
  const mem = new Sqlite(':memory:');
  try {
    return (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    mem.close();
  }
}

/**
 * Small self-contained writes that come in bursts: grouped into one transaction per event-loop turn
 * (group-commit.ts). Everything else first commits the pending group, so requests keep their order.
 */
const GROUPED: ReadonlySet<StoreMethod> = new Set(['message.append', 'job.appendLog', 'usage.record', 'cache.set']);
const group = new GroupCommit(() => db().db);

const handlers: Record<string, WorkerHandler> = {};
for (const m of Object.keys(StoreRequests) as StoreMethod[]) {
  const fn = impl[m] as (p: unknown, ctx: RequestContext) => unknown;
  handlers[m] = GROUPED.has(m)
    ? (params, ctx) => {
        const parsed = parse(m, params); // bad input fails alone, before it joins a group
        return group.submit(() => fn(parsed, ctx));
      }
    : (params, ctx) => {
        group.flushNow();
        return fn(parse(m, params), ctx);
      };
}

process.on('SIGTERM', () => {
  try {
    if (state.isOpen) group.flushNow();
    state.close();
  } finally {
    process.exit(0);
  }
});

serveWorker(handlers, () => ({ sqliteVersion: sqliteVersion(), pid: process.pid }));
