// Builds the main-process services once, from plain options, for both front doors (Electron and the
// browser host) and for tests, which pass a temporary directory instead of patching modules.
import fs from 'node:fs';
import path from 'node:path';
import type { AppStatus } from '../../common/contracts/app';
import { readAppInfo, type AppInfo } from './app/app-info';
import { BackendRegistry } from './app/backend-registry';
import { EventHub } from './app/event-hub';
import type { CheckDef } from './doctor/checks';
import { DoctorService } from './doctor/doctor-service';
import { EvolveError, toErrorInfo } from '../../common/errors';
import type { Keychain } from '../../native/keychain/keychain';
import { KeytarKeychain } from '../../native/keychain/keytar-keychain';
import type { SafeStorageLike } from '../../native/keychain/safe-storage-keychain';
import { makePrivateDir, resolvePaths, type AppPaths } from './paths';
import { SettingsService } from './settings/settings-service';
import { LocalAi } from './local-ai';
import { AppProviders } from './providers/app-providers';
import { AppCluster } from './cluster/app-cluster';
import { appLockReauth } from './cluster/roles/app-lock-port';
import { ClusterRoles } from './cluster/roles/role-service';
import { JobLogService } from './cluster/job-logs/service';
import { createNotificationCenter, watchClusterAlerts } from './notifications/app-notifications';
import type { NotificationCenter } from './notifications/center';
import { EmbeddingService } from './embeddings/embedding-service';
import { AppProjects } from './projects/app-projects';
import { CodegenService } from './codegen/engine/service';
import { InlineCompletionService } from './completion/inline-completion-service';
import { localModel, type LocalModelSources } from './codegen/engine/models';
import { createAppDiagnosis } from './cluster/diagnosis/app-diagnosis';
import type { DiagnosisService } from './cluster/diagnosis/diagnosis-service';
import { modelExplainer } from './cluster/diagnosis/explain';
import { modelQueryExpander } from './projects/query-expansion';
import { WorkspaceService } from './workspace/workspace-service';
import { PerfService } from './perf/lab/perf-service';
import { InferenceClientEngine } from './providers/local-engine';
import { LocalAiBackend } from './openai-server/local-backend';
import { DefaultLocalModel } from './models/default-model';
import type { ModelFolder } from './models/folders';
import { StoreModelRepository } from './models/store-repository';
import { BackupScheduler } from './store/backup-scheduler';
import { StoreService } from './store/store-service';
import { nodeWorkerSpawner, type WorkerSpawnerFactory } from './workers';
import { configureProcessEgress, processEgressGuard, type EgressPolicy } from '../platform/egress';
import { createAppSecurityEvents, type AppSecurityEvents } from './security/events/app-security-events';
import { WorkScheduler } from '../platform/work-scheduler';
import { AppLogger, type Log, type LogLevel } from '../platform/log/logger';
import { AppLockService } from './security/app-lock/app-lock-service';

export interface ServicesOptions {
  mode: AppStatus['mode'];
  paths?: Partial<AppPaths>;
  env?: NodeJS.ProcessEnv;
  /** Also receives every log line (tests collect them); the app logger writes them to the data dir either way. */
  log?: Log;
  /** Lowest level echoed to stderr ('silent' for none); the log file keeps info and up (EVOLVE_LOG_LEVEL=debug for more). */
  stderrLevel?: LogLevel | 'silent';
  /** Replaces the environment checks (tests run a quick subset of the real ones). */
  doctorChecks?: CheckDef[];
  /** How workers are started: child_process.fork by default, utilityProcess in Electron. */
  spawnWorker?: WorkerSpawnerFactory;
  /** The secure OS keychain: keytar (Secret Service / Keychain / DPAPI) by default, safeStorage in Electron. */
  keychain?: () => Promise<Keychain | null>;
  /** Electron's safeStorage in the desktop app: the doctor checks it is really usable. */
  safeStorage?: SafeStorageLike;
  /** Other apps' model folders to use in place (LM Studio, Jan, Ollama defaults when omitted; tests pass []). */
  modelFolders?: ModelFolder[];
  /** The native folder dialog (Electron): Projects → Browse…. */
  pickFolder?: () => Promise<string | null>;
  /** The native save dialog (Electron): a job export's destination; absent in the browser host (the page downloads). */
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
  /** scrypt cost for passphrase/recovery keys (tests lower it; production keeps the default). */
  scryptN?: number;
  /** The inference worker starts this long after start() (or on the first request before that): cold start goes first. */
  inferenceStartDelayMs?: number;
  /** How often Alertmanager is polled for alert notifications (default 30 s; tests shorten it). */
  alertPollIntervalMs?: number;
}

/**
 * keytar, if it loads and the OS keychain answers within a few seconds; otherwise none (passphrase mode).
 * EVOLVE_KEYCHAIN=passphrase chooses the passphrase even where an OS keychain exists.
 */
async function defaultKeychain(env: NodeJS.ProcessEnv): Promise<Keychain | null> {
  if (env.EVOLVE_KEYCHAIN === 'passphrase') return null;
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new EvolveError('UNAVAILABLE', 'the OS keychain did not answer within 5 s')), 5_000).unref(),
  );
  return Promise.race([KeytarKeychain.create(), timeout]);
}

export interface AppServices {
  info: AppInfo;
  paths: AppPaths;
  mode: AppStatus['mode'];
  startedAt: string;
  settings: SettingsService;
  doctor: DoctorService;
  backends: BackendRegistry;
  events: EventHub;
  log: Log;
  /** The app's log: a rotating file in the data dir, shown and exported in Settings → Diagnostics. */
  logger: AppLogger;
  store: StoreService;
  /** The app lock: passphrase (+ TOTP) that wraps the DB key; while locked the store is closed (security/app-lock/README.md). */
  appLock: AppLockService;
  localAi: LocalAi;
  /** Providers, router, redaction, budgets, usage and the local OpenAI-compatible server. */
  providers: AppProviders;
  /** Ray cluster profiles, training jobs (history in the store) and monitoring. */
  cluster: AppCluster;
  /** Roles per cluster profile: the one guard every cluster IPC action goes through (cluster/roles/README.md). */
  clusterRoles: ClusterRoles;
  /** Failed-job diagnosis: evidence, rule-based class, fixes, the local model's explanation. */
  diagnosis: DiagnosisService;
  /** Search across all jobs' logs, job history deletion and export, the retention policy (applied daily). */
  jobLogs: JobLogService;
  /** Slack/e-mail notifications: settings, keychain secrets, dedup, rate limits, audited sends. */
  notifications: NotificationCenter;
  /** Security events over the audit log (view, export), egress refusals audited, syslog forwarding. */
  securityEvents: AppSecurityEvents;
  /** The embedding model (worker started on first use); its client is shared by the project index and the local server. */
  embeddings: EmbeddingService;
  /** Projects: the encrypted code index, watchers and hybrid retrieval. */
  projects: AppProjects;
  /** Code generation: candidates checked, tested in the sandbox, repaired, selected, scanned, scored and stored. */
  codegen: CodegenService;
  /** The Code section's backend: trust, files, apply/reject generations, checkpoints, the user's git (read-only). */
  workspace: WorkspaceService;
  /** Inline (ghost-text) completion in the Code editor: FIM on the default coding model, interactive priority. */
  completion: InlineCompletionService;
  /** The performance lab (issue 15): profile, proposals from the codegen engine, equivalence and benchmark proofs. */
  perf: PerfService;
  /** Interactive work (chat, completion, generation) pre-empts background work (indexing, embeddings, backups). */
  work: WorkScheduler;
  /** Opens what needs opening (the encrypted store); never throws — failures become states. */
  start(): Promise<void>;
  status(): Promise<AppStatus>;
  dispose(): Promise<void>;
}

export function createAppServices(opts: ServicesOptions): AppServices {
  const env = opts.env ?? process.env;
  const info = readAppInfo();
  const paths = resolvePaths(opts.paths, env);
  makePrivateDir(paths.dataDir);
  const logger = new AppLogger({
    file: path.join(paths.dataDir, 'logs', 'evolve.log'),
    level: env.EVOLVE_LOG_LEVEL === 'debug' ? 'debug' : 'info',
    stderrLevel: opts.stderrLevel ?? (opts.log ? 'silent' : 'info'),
  });
  const tap = opts.log;
  const log: Log = tap
    ? (level, msg, data) => {
        logger.log(level, msg, data);
        tap(level, msg, data);
      }
    : logger.log;
  const startedAt = new Date().toISOString();
  const backends = new BackendRegistry();
  const electronVersion = process.versions.electron ?? null;
  const events = new EventHub();
  const spawnWorker = opts.spawnWorker ?? nodeWorkerSpawner(info.rootDir, env);
  const store = new StoreService({
    dataDir: paths.dataDir,
    spawn: spawnWorker('db'),
    keychain: opts.keychain ?? (() => defaultKeychain(env)),
    log,
    scryptN: opts.scryptN,
    onCrash: (reason, restarting) => events.publish({ type: 'worker-crashed', worker: 'Database', reason, restarting }),
  });
  // Built before store.init() (start): it closes the store's gate while an enabled lock is locked.
  const appLock = new AppLockService({ dataDir: paths.dataDir, store, log });
  backends.register('database', () => {
    const st = store.status();
    const state = st.state === 'ready' ? 'ready' : st.state === 'starting' ? 'pending' : st.state === 'error' ? 'unavailable' : 'degraded';
    return { state, detail: st.message ?? st.state };
  });
  backends.register('keychain', () => {
    const st = store.status();
    if (!st.backend) return { state: 'pending', detail: 'not chosen yet' };
    const fallback = store.keychainProblem ? ` — OS keychain unavailable: ${store.keychainProblem}` : '';
    return { state: st.state === 'ready' && !fallback ? 'ready' : 'degraded', detail: `database key in ${st.backend}${fallback}` };
  });
  const localAi = new LocalAi({
    dataDir: paths.dataDir,
    modelCacheDir: paths.modelCacheDir,
    resourcesDir: path.join(info.rootDir, 'resources'),
    spawn: spawnWorker('inference'),
    log,
    onCrash: (reason, restarting) => events.publish({ type: 'worker-crashed', worker: 'Local inference', reason, restarting }),
    onReady: () => events.publish({ type: 'worker-ready', worker: 'Local inference' }),
    repository: () => new StoreModelRepository(store, path.join(paths.dataDir, 'models.json'), log),
    ...(opts.modelFolders ? { extraFolders: opts.modelFolders } : {}),
  });
  backends.register('inference', () => localAi.backendState());
  // The model registry lives in the encrypted store: it opens (and imports an old models.json) once the store does.
  store.onReady(() => void localAi.registry().catch((e: unknown) => log('warn', `model registry: ${toErrorInfo(e).message}`)));
  const settings = SettingsService.inDataDir(paths.dataDir, (m) => log('warn', m));
  // One egress policy for every outbound connection, from settings; offline-only with nothing allowed until they are read.
  let egressPolicy: EgressPolicy = { offlineOnly: true };
  const applyEgress = (s: { offlineOnly: boolean; egressAllow: EgressPolicy['allow'] }) =>
    (egressPolicy = { offlineOnly: s.offlineOnly, allow: s.egressAllow });
  void settings.get().then(applyEgress, (e: unknown) => log('warn', `egress policy stays offline-only: ${toErrorInfo(e).message}`));
  settings.onChange(applyEgress);
  configureProcessEgress(() => egressPolicy);
  const providers = new AppProviders({
    store,
    settings,
    resourcesDir: path.join(info.rootDir, 'resources'),
    // "local-default" routes run on the default coding model, loaded on demand (fallback: the first loaded model).
    localEngine: new InferenceClientEngine(localAi.client, new DefaultLocalModel(localAi)),
    // The embedding service is created below; the factory runs only when the server starts.
    serverBackend: (o) => new LocalAiBackend(localAi, { ...o, embeddings: () => embeddings.port(), log: (l, m) => log(l, m) }),
    log,
    guard: processEgressGuard(),
  });
  // Scheduled backups follow the setting and run only while the store is open.
  let scheduler: BackupScheduler | undefined;
  const configureBackups = async () => {
    scheduler?.stop();
    scheduler = undefined;
    const hours = (await settings.get()).backupEveryHours;
    if (!store.ready || hours === 0) return;
    scheduler = new BackupScheduler({
      dir: path.join(paths.dataDir, 'backups'),
      intervalMs: hours * 3_600_000,
      keep: 7,
      backup: async (file) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await store.client.backup(file);
        await store.audit.record({ kind: 'store.maintenance', data: { action: 'backup', detail: `scheduled: ${path.basename(file)}` } });
      },
      onResult: (r) => {
        if (!r.ok) log('warn', `scheduled backup failed: ${toErrorInfo(r.error).message}`);
      },
    });
    scheduler.start();
  };
  store.onReady(() => void configureBackups());
  // Every settings change goes into the audit log (when the store is open).
  settings.onChange((next, changed) => {
    if (changed.includes('backupEveryHours')) void configureBackups();
    if (!store.ready) return;
    for (const key of changed) {
      store.audit
        .record({ kind: 'settings.change', data: { key, to: next[key] } })
        .catch((e: unknown) => log('warn', `audit of settings.${key} failed: ${toErrorInfo(e).message}`));
    }
  });
  const notifications = createNotificationCenter({ store, log, guard: processEgressGuard() });
  const securityEvents = createAppSecurityEvents({ store, guard: processEgressGuard(), dataDir: paths.dataDir, log });
  const cluster = new AppCluster({
    store,
    trainingDir: path.join(info.rootDir, 'resources', 'training'),
    log,
    notify: (title, body) => events.publish({ type: 'notification', title, body }),
    notifier: notifications,
  });
  const alertWatch = watchClusterAlerts(notifications, cluster, { store, log, intervalMs: opts.alertPollIntervalMs });
  backends.register('cluster', () => cluster.backendState());
  // Raising a role needs the app lock's verifyAdmin (passphrase + TOTP); while the lock is off, raising is refused.
  const clusterRoles = new ClusterRoles({
    store,
    jobProfile: async (jobId) => (await cluster.repo.get(jobId))?.profileId ?? null,
    reauthenticator: appLockReauth(appLock),
    // A profile signed in with OIDC whose claims map to roles gets its role from the identity provider (issue 14 item 3).
    roleFromClaims: async (profileId) => {
      const p = (await cluster.profiles()).find((x) => x.id === profileId);
      return p ? cluster.auth.roleFromClaims(p) : null;
    },
    log,
  });
  const jobLogs = new JobLogService({
    store,
    settings,
    repo: cluster.repo,
    app: { name: info.name, version: info.version },
    log: (level, msg) => log(level, msg),
    ...(opts.pickSavePath ? { pickSavePath: opts.pickSavePath } : {}),
    // An export carries the job's stored diagnoses (issue 16 item 1), one per failed attempt.
    exportExtras: async (jobId) => ({ diagnoses: await store.client.call('diagnosis.list', { jobId }) }),
  });
  // Retention runs once the store opens, then daily (and when the policy changes: the service listens to settings).
  store.onReady(() => jobLogs.scheduler.start());
  const work = new WorkScheduler();
  const embeddings = new EmbeddingService({ modelCacheDir: paths.modelCacheDir, spawn: spawnWorker('embed'), log });
  // The local coding model as the codegen engine, commit drafts and query expansion use it (one model port).
  const codingModel: LocalModelSources = {
    manager: () => localAi.manager(),
    client: localAi.client,
    defaultModel: new DefaultLocalModel(localAi),
  };
  // Failed-job diagnosis: the rules decide the class; the local coding model only explains it (none installed: null).
  const diagnosis = createAppDiagnosis({
    cluster,
    store,
    explain: modelExplainer({ model: (signal) => localModel(codingModel, undefined, signal), log }),
    log,
  });
  // A failure notification carries the diagnosis summary (waits a few seconds for the rules, never for the model).
  notifications.setDetailProvider(async (n) =>
    n.jobId && n.event === 'job-failed' ? diagnosis.service.summaryFor(n.jobId, n.submissionId) : null,
  );
  const projects = new AppProjects({
    store,
    expand: modelQueryExpander({
      model: (signal) => localModel(codingModel, undefined, signal),
      interactive: (label, fn) => work.interactive(label, fn),
      log,
    }),
    spawnIndex: spawnWorker('index'),
    embedder: () => embeddings.port() ?? null,
    busy: () => work.interactiveActive,
    log,
    ...(opts.pickFolder ? { pickFolder: opts.pickFolder } : {}),
  });
  projects.service.onProgress((projectId, p) => {
    if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'error')
      events.publish({ type: 'project-indexed', projectId, phase: p.phase });
  });
  const workspace = new WorkspaceService({
    store: store.client,
    dataDir: paths.dataDir,
    log,
    // Commit messages are drafted by the same local model port the codegen engine uses (no second model client).
    commitModel: (modelId, signal) => localModel(codingModel, modelId, signal),
    interactive: (label, fn) => work.interactive(label, fn),
  });
  const codegen = new CodegenService({
    store: { call: (method, params) => store.client.call(method, params), assertReady: () => store.assertReady() },
    local: codingModel,
    providers,
    projects: { get: (id) => projects.service.get(id), retrieve: (id, q, budget) => projects.service.retrieve(id, q, budget) },
    interactive: (label, fn) => work.interactive(label, fn),
  });
  // The lab proposes through the same codegen engine (generations stored with the project, reviewed and applied in the
  // Code section), runs code only in trusted projects (the Code section's trust) and audits through the store.
  const perf = new PerfService({
    projects: { get: (id) => projects.service.get(id) },
    assertTrusted: (id) => workspace.assertTrusted(id),
    generate: (input, emit, signal) => codegen.generate(input, emit, signal),
    audit: (ev) => store.audit.record(ev),
    references: (id, name) => projects.service.referencesTo(id, name),
    interactive: (label, fn) => work.interactive(label, fn),
  });
  const completion = new InlineCompletionService({
    engine: localAi.client,
    defaultModel: new DefaultLocalModel(localAi),
    projects: { get: (id) => projects.service.get(id) },
    interactive: (label, fn) => work.interactive(label, fn),
  });
  const services: AppServices = {
    info,
    logger,
    work,
    paths,
    mode: opts.mode,
    startedAt,
    settings,
    doctor: new DoctorService(
      { paths, rootDir: info.rootDir, electronVersion, env, ...(opts.safeStorage ? { safeStorage: opts.safeStorage } : {}) },
      opts.doctorChecks,
    ),
    backends,
    events,
    log,
    store,
    appLock,
    localAi,
    providers,
    cluster,
    clusterRoles,
    diagnosis: diagnosis.service,
    jobLogs,
    notifications,
    securityEvents,
    embeddings,
    projects,
    workspace,
    codegen,
    completion,
    perf,
    async start() {
      localAi.startAfter(opts.inferenceStartDelayMs ?? 5_000);
      const st = await store.init();
      log(st.state === 'ready' ? 'info' : 'warn', `encrypted store: ${st.state}${st.message ? ` — ${st.message}` : ''}`);
    },
    async status() {
      return {
        name: info.name,
        version: info.version,
        mode: opts.mode,
        platform: process.platform,
        arch: process.arch,
        versions: { node: process.versions.node, electron: electronVersion, chrome: process.versions.chrome ?? null },
        dataDir: paths.dataDir,
        modelCacheDir: paths.modelCacheDir,
        startedAt,
        backends: await backends.snapshot(),
        work: work.snapshot(),
      };
    },
    async dispose() {
      appLock.dispose();
      securityEvents.dispose();
      jobLogs.scheduler.stop();
      scheduler?.stop();
      alertWatch.stop();
      diagnosis.dispose();
      notifications.dispose();
      await projects.dispose();
      await embeddings.stop();
      await Promise.all([store.close(), localAi.stop(), providers.dispose()]);
      logger.close();
    },
  };
  return services;
}
