// One valid input per channel. The round-trip test fails when a channel has no sample here, so every
// new contract verb gets exercised the day it is added. prepareSamples creates what the samples name (threads,
// a model file, a backup), so most verbs take their success path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppServices } from '../../main/services';
import { modelIdFor } from '../../main/services/models/registry';
import { writeTinyGguf } from '../fixtures/models/tiny-gguf';

/** An empty folder the model-folder samples watch (created by ensureSampleFolders). */
export const SAMPLE_MODEL_FOLDER = path.join(os.tmpdir(), 'evolve-contract-sample-models');
export function ensureSampleFolders(): void {
  fs.mkdirSync(SAMPLE_MODEL_FOLDER, { recursive: true });
}

/** A tiny, structurally valid GGUF (metadata only worth reading, not loadable as a model). */
export const SAMPLE_GGUF = path.join(os.tmpdir(), 'evolve-contract-sample-files', 'tiny-sample.gguf');
const SAMPLE_THREAD = 'sample-thread';
const SAMPLE_THREAD_TO_DELETE = 'sample-thread-to-delete';
const SAMPLE_BACKUP = 'sample-backup.db';
/** The registry id of SAMPLE_GGUF (from its resolved path, as the registry computes it). */
let sampleModelId = 'unset';

/** Creates what the samples refer to, in the services the round-trip test runs against. */
export async function prepareSamples(services: AppServices): Promise<void> {
  fs.mkdirSync(path.dirname(SAMPLE_GGUF), { recursive: true });
  writeTinyGguf(SAMPLE_GGUF);
  sampleModelId = modelIdFor(fs.realpathSync(SAMPLE_GGUF));
  await (await services.localAi.registry()).importFile(SAMPLE_GGUF, 'imported');
  for (const id of [SAMPLE_THREAD, SAMPLE_THREAD_TO_DELETE]) await services.store.client.call('thread.create', { id, title: id });
  await services.store.client.call('message.append', { threadId: SAMPLE_THREAD, role: 'user', content: 'hello from the sample' });
  const backup = path.join(services.paths.dataDir, 'backups', SAMPLE_BACKUP);
  fs.mkdirSync(path.dirname(backup), { recursive: true });
  await services.store.client.backup(backup);
}

export const VALID_INPUTS: Record<string, unknown> = {
  'evolve:app.status': {},
  'evolve:app.pauseBackground': { paused: false },
  'evolve:app.events': {},
  'evolve:app.logs': { limit: 50, minLevel: 'warn' },
  'evolve:settings.get': {},
  'evolve:settings.update': { theme: 'dark', offlineOnly: false },
  'evolve:doctor.list': {},
  'evolve:doctor.run': { only: ['node'] },
  'evolve:store.status': {},
  'evolve:store.takeRecoveryKey': {},
  'evolve:store.unlockWithPassphrase': { passphrase: 'correct horse battery' },
  'evolve:store.unlockWithRecoveryKey': { recoveryKey: 'ABCD-EFGH-IJKL-MNOP' },
  'evolve:store.backup': {},
  'evolve:store.backups': {},
  'evolve:store.restore': { name: SAMPLE_BACKUP },
  'evolve:audit.list': { kinds: ['unlock'], limit: 10 },
  'evolve:audit.verify': {},
  'evolve:audit.export': {},
  'evolve:audit.kinds': {},
  'evolve:models.engine': {},
  'evolve:models.list': {},
  'evolve:models.catalog': {},
  get 'evolve:models.estimate'() {
    return { modelId: sampleModelId, contextSize: 256 };
  },
  get 'evolve:models.setOverrides'() {
    return { modelId: sampleModelId, gpuLayers: 0 };
  },
  // The sample file is metadata only: loading it fails in the real engine with a typed error (see EXPECTED_ERRORS).
  get 'evolve:models.load'() {
    return { modelId: sampleModelId };
  },
  get 'evolve:models.unload'() {
    return { modelId: sampleModelId };
  },
  // Like load: the metadata-only sample cannot run, so the probe's first trial fails with a typed error.
  get 'evolve:models.measureSpeculation'() {
    return { modelId: sampleModelId, maxTokens: 16 };
  },
  'evolve:models.import': { path: SAMPLE_GGUF },
  'evolve:models.download': { catalogId: 'no-such-catalog-entry' },
  'evolve:models.license': { catalogId: 'qwen2.5-coder-1.5b-instruct-q4_k_m' },
  'evolve:models.folders': {},
  'evolve:models.addFolder': { path: SAMPLE_MODEL_FOLDER },
  'evolve:models.removeFolder': { path: SAMPLE_MODEL_FOLDER },
  'evolve:chat.threads': {},
  'evolve:chat.createThread': { title: 'Round trip' },
  'evolve:chat.renameThread': { threadId: SAMPLE_THREAD, title: 'Renamed sample' },
  'evolve:chat.deleteThread': { threadId: SAMPLE_THREAD_TO_DELETE },
  'evolve:chat.messages': { threadId: SAMPLE_THREAD },
  'evolve:chat.send': { threadId: SAMPLE_THREAD, modelId: 'no-such-model', action: 'send', text: 'hello' },
  'evolve:chat.search': { query: 'hello' },
  'evolve:chat.mentionOptions': { threadId: SAMPLE_THREAD, query: 'ret' },
  'evolve:chat.proposeApply': { threadId: SAMPLE_THREAD, path: 'src/a.ts', code: 'export const a = 1;\n' },
  'evolve:providers.list': {},
  'evolve:providers.upsert': {
    config: { id: 'sample', kind: 'openai-compatible', label: 'Sample', baseUrl: 'http://127.0.0.1:9/v1', defaultModel: 'm' },
    apiKey: 'sk-sample-key',
  },
  'evolve:providers.test': { id: 'sample' },
  'evolve:providers.models': { id: 'sample' },
  'evolve:providers.getRoutes': {},
  'evolve:providers.setRoutes': { generate: [{ providerId: 'local', model: 'local-default' }] },
  'evolve:providers.getBudgets': {},
  'evolve:providers.setBudgets': { dailyUsd: 5 },
  'evolve:providers.preview': { providerId: 'sample', prompt: 'email me at a@example.com' },
  'evolve:providers.send': { capability: 'generate', prompt: 'hi', params: { maxTokens: 8 } },
  'evolve:providers.usage': {},
  'evolve:providers.cacheStats': {},
  'evolve:providers.serverStart': { port: 0 },
  'evolve:providers.serverStop': {},
  'evolve:providers.serverStatus': {},
  'evolve:providers.serverSetSettings': { idleUnloadSeconds: 600, startWithApp: false },
  'evolve:providers.serverRevealToken': {},
  'evolve:providers.serverRegenerateToken': {},
  'evolve:providers.remove': { id: 'sample' },
  'evolve:cluster.profiles': {},
  'evolve:cluster.upsertProfile': { profile: { id: 'sample', name: 'Sample', dashboardUrl: 'http://127.0.0.1:9' } },
  'evolve:cluster.removeProfile': { id: 'no-such-profile' },
  'evolve:cluster.authStatus': { profileId: 'no-such-profile' },
  'evolve:cluster.signIn': { profileId: 'no-such-profile' },
  'evolve:cluster.signOut': { profileId: 'no-such-profile' },
  'evolve:cluster.testConnection': { profileId: 'no-such-profile' },
  'evolve:cluster.nodes': { profileId: 'no-such-profile' },
  'evolve:cluster.submit': { profileId: 'no-such-profile', config: { max_steps: 10 }, launch: { numNodes: 2 } },
  'evolve:cluster.jobs': {},
  'evolve:cluster.job': { jobId: 'no-such-job' },
  'evolve:cluster.logs': { jobId: 'no-such-job' },
  'evolve:cluster.follow': { jobId: 'no-such-job' },
  'evolve:cluster.stop': { jobId: 'no-such-job' },
  'evolve:cluster.resume': { jobId: 'no-such-job' },
  'evolve:cluster.overview': { profileId: 'no-such-profile', range: '15m' },
  'evolve:cluster.alerts': { profileId: 'no-such-profile' },
  'evolve:cluster.jobResources': { jobId: 'no-such-job' },
  'evolve:cluster.acknowledge': { profileId: 'no-such-profile', labels: { alertname: 'NodeDown' }, minutes: 60 },
  'evolve:cluster.unacknowledge': { profileId: 'no-such-profile', silenceId: 'no-such-silence' },
  'evolve:diagnosis.get': { jobId: 'no-such-job' },
  'evolve:diagnosis.run': { jobId: 'no-such-job' },
  'evolve:diagnosis.applyFix': { jobId: 'no-such-job', fix: { kind: 'resume', label: 'Resume' } },
  'evolve:projects.list': {},
  'evolve:projects.pickFolder': {},
  'evolve:projects.add': { path: '/nonexistent/evolve/project' },
  'evolve:projects.remove': { projectId: 'no-such-project' },
  'evolve:projects.updateGlobs': { projectId: 'no-such-project', exclude: ['dist/**'] },
  'evolve:projects.index': { projectId: 'no-such-project' },
  'evolve:projects.cancel': { projectId: 'no-such-project' },
  'evolve:projects.pause': { projectId: 'no-such-project', paused: true },
  'evolve:projects.status': { projectId: 'no-such-project' },
  'evolve:projects.search': { projectId: 'no-such-project', query: 'parse config' },
  'evolve:projects.repoMap': { projectId: 'no-such-project' },
  'evolve:workspace.trustState': { projectId: 'no-such-project' },
  'evolve:workspace.setTrust': { projectId: 'no-such-project', trusted: true },
  'evolve:workspace.tree': { projectId: 'no-such-project', dir: 'src' },
  'evolve:workspace.readFile': { projectId: 'no-such-project', path: 'src/a.ts' },
  'evolve:workspace.writeFile': { projectId: 'no-such-project', path: 'src/a.ts', content: 'x', baseHash: null },
  'evolve:workspace.applyGeneration': { generationId: 'no-such-generation', accept: [{ path: 'a.py', hunkIds: ['h1'] }] },
  'evolve:workspace.rejectGeneration': { generationId: 'no-such-generation', reason: 'wrong approach' },
  'evolve:workspace.checkpoints': { projectId: 'no-such-project' },
  'evolve:workspace.checkpointDiff': { projectId: 'no-such-project', checkpointId: 'a'.repeat(40) },
  'evolve:workspace.undo': { projectId: 'no-such-project' },
  'evolve:workspace.restore': { projectId: 'no-such-project', checkpointId: 'a'.repeat(40) },
  'evolve:workspace.gitStatus': { projectId: 'no-such-project' },
  'evolve:workspace.draftCommitMessage': { projectId: 'no-such-project' },
  'evolve:codegen.generate': { type: 'function', language: 'python', prompt: 'def add(a, b):', projectId: 'no-such-project', maxRounds: 0 },
  'evolve:codegen.list': { limit: 5 },
  'evolve:codegen.get': { generationId: 'no-such-generation' },
  'evolve:codegen.accept': { generationId: 'no-such-generation', reason: 'clean' },
  'evolve:codegen.reject': { generationId: 'no-such-generation', reason: 'wrong approach' },
  'evolve:perf.optimize': { projectId: 'no-such-project', target: 'src/util.py:dedupe', sizes: [100, 400, 1600], proposals: 1 },
  'evolve:perf.profile': {
    projectId: 'no-such-project',
    target: 'src/util.py:dedupe',
    inputsSource: 'def make_input(n, seed):\n    return (list(range(n)),)\n',
  },
  'evolve:perf.sqlQueries': { projectId: 'no-such-project' },
  'evolve:perf.verifyIndex': {
    projectId: 'no-such-project',
    sql: 'SELECT id FROM users WHERE email = ?',
    ddl: 'CREATE INDEX ix_users_email ON users (email)',
    sizes: [100, 400, 1600],
  },
  'evolve:experience.decisions': { projectId: null, limit: 20 },
  'evolve:experience.conventions': { projectId: 'no-such-project' },
  'evolve:experience.editConvention': { id: 'no-such-convention', text: 'Raise ValueError on bad input.' },
  'evolve:experience.removeConvention': { id: 'no-such-convention' },
  'evolve:apiTokens.list': { includeRevoked: true },
  'evolve:apiTokens.create': { name: 'contract-sample', scopes: ['chat', 'models'], rateLimitPerMin: 60 },
  'evolve:apiTokens.revoke': { id: 'no-such-token' },
  'evolve:apiTokens.setRateLimit': { id: 'no-such-token', rateLimitPerMin: null },
  'evolve:completion.inline': {
    projectId: 'no-such-project',
    path: 'src/a.py',
    prefix: 'def add(a, b):\n    ',
    suffix: '\n',
    language: 'python',
  },
  'evolve:completion.cancelInline': { projectId: 'no-such-project', path: 'src/a.py' },
  'evolve:completion.warm': { projectId: 'no-such-project' },
  'evolve:jobLogs.search': { query: 'loss OR "out of memory" -debug', limit: 20, context: 1 },
  'evolve:jobLogs.deleteJob': { jobId: 'no-such-job' },
  'evolve:jobLogs.export': { jobId: 'no-such-job' },
  'evolve:jobLogs.retention': {},
  'evolve:jobLogs.setRetention': { keepDays: 0, keepNewest: 0 },
  'evolve:notifications.get': {},
  'evolve:notifications.set': {
    settings: {
      events: { jobFailed: true, selfHeal: false, alertFiring: true, alertResolved: true },
      minSeverity: 'warning',
      slack: { enabled: false },
      email: { enabled: true, host: '127.0.0.1', port: 2525, tls: 'none', user: '', from: 'evolve@example.org', to: ['ops@example.org'] },
      dedupMinutes: 30,
      rateLimit: { perHour: 20, burst: 5 },
    },
  },
  'evolve:notifications.sendTest': { channel: 'slack' },
  'evolve:clusterRoles.list': {},
  'evolve:clusterRoles.set': { profileId: 'no-such-profile', role: 'viewer' },
  'evolve:securityEvents.list': { categories: ['unlock-failure', 'egress-refused'], minSeverity: 'medium', text: 'x', limit: 10 },
  'evolve:securityEvents.export': { format: 'csv', filter: { minSeverity: 'high' } },
  'evolve:securityEvents.syslogGet': {},
  'evolve:securityEvents.syslogSet': { enabled: false, host: '', port: 6514, tls: true, caPem: '', appName: 'evolve-studio' },
  'evolve:securityEvents.syslogStatus': {},
  'evolve:securityEvents.syslogTest': {},
  // App lock: enable then disable with the same passphrase (both succeed), so the lock is off again for what follows.
  'evolve:appLock.status': {},
  'evolve:appLock.enable': { passphrase: 'contract-sample-pass', idleMinutes: 5 },
  'evolve:appLock.changePassphrase': { current: 'not-the-passphrase', next: 'another-sample-pass' },
  'evolve:appLock.disable': { passphrase: 'contract-sample-pass' },
  'evolve:appLock.setIdleMinutes': { idleMinutes: 10 },
  'evolve:appLock.lock': {},
  'evolve:appLock.unlock': { passphrase: 'contract-sample-pass', code: '123456' },
  'evolve:appLock.totpBegin': { passphrase: 'contract-sample-pass' },
  'evolve:appLock.totpConfirm': { code: '123456' },
  'evolve:appLock.totpDisable': { passphrase: 'contract-sample-pass', code: '123456' },
  'evolve:appLock.recoveryCodesRegenerate': { passphrase: 'contract-sample-pass', code: '123456' },
  'evolve:appLock.activity': {},
};

/**
 * Channels whose success needs what this test does not run (a Ray cluster, a loadable model, a download): the
 * round trip must then end in one of these typed errors — the full pipe is still exercised, and anything else
 * fails. Their happy paths run in test/integration (real Ray, the real model) and test/e2e.
 */
export const EXPECTED_ERRORS: Record<string, string[]> = {
  'evolve:cluster.upsertProfile': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.testConnection': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.authStatus': ['NOT_FOUND'],
  'evolve:cluster.signIn': ['NOT_FOUND'],
  'evolve:cluster.signOut': ['NOT_FOUND'],
  'evolve:cluster.nodes': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.submit': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.job': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.logs': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.follow': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.stop': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.resume': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.overview': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.alerts': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.jobResources': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.acknowledge': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.unacknowledge': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:diagnosis.get': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:diagnosis.run': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:diagnosis.applyFix': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:models.load': ['INTERNAL', 'CORRUPT', 'UNAVAILABLE', 'INVALID_ARGUMENT'],
  'evolve:models.measureSpeculation': ['INTERNAL', 'CORRUPT', 'UNAVAILABLE', 'INVALID_ARGUMENT'],
  'evolve:models.download': ['NOT_FOUND'],
  'evolve:chat.send': ['NOT_FOUND'],
  // The sample thread has no project.
  'evolve:chat.mentionOptions': ['INVALID_ARGUMENT'],
  'evolve:chat.proposeApply': ['INVALID_ARGUMENT'],
  'evolve:projects.list': ['UNAVAILABLE'],
  'evolve:projects.add': ['UNAVAILABLE', 'NOT_FOUND'],
  // The browser host has no native folder dialog.
  'evolve:projects.pickFolder': ['UNAVAILABLE'],
  'evolve:projects.remove': ['UNAVAILABLE'],
  'evolve:projects.updateGlobs': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:projects.index': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:projects.cancel': ['UNAVAILABLE'],
  'evolve:projects.pause': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:projects.status': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:projects.search': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:projects.repoMap': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.trustState': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.setTrust': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.tree': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.readFile': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.writeFile': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.applyGeneration': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.rejectGeneration': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.checkpoints': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.checkpointDiff': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.undo': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.restore': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.gitStatus': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:workspace.draftCommitMessage': ['UNAVAILABLE', 'NOT_FOUND'],
  // The sample names no project, so the generation stops before any model loads.
  'evolve:codegen.generate': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:codegen.list': ['UNAVAILABLE'],
  'evolve:codegen.get': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:codegen.accept': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:codegen.reject': ['UNAVAILABLE', 'NOT_FOUND'],
  // The sample names no project (or the store is locked); the lab's happy path runs in the performance panel E2E.
  'evolve:perf.optimize': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:perf.profile': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:perf.sqlQueries': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:perf.verifyIndex': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:experience.decisions': ['UNAVAILABLE'],
  'evolve:experience.conventions': ['UNAVAILABLE'],
  'evolve:experience.editConvention': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:experience.removeConvention': ['UNAVAILABLE', 'NOT_FOUND'],
  // Tokens live in the encrypted store; the sample ids name no token.
  'evolve:apiTokens.list': ['UNAVAILABLE'],
  'evolve:apiTokens.create': ['UNAVAILABLE'],
  'evolve:apiTokens.revoke': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:apiTokens.setRateLimit': ['UNAVAILABLE', 'NOT_FOUND'],
  // The sample names no project: refused before any model loads.
  'evolve:completion.inline': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:completion.warm': ['UNAVAILABLE', 'NOT_FOUND'],
  // The samples name no stored job (or the store is locked).
  'evolve:jobLogs.search': ['UNAVAILABLE'],
  'evolve:jobLogs.deleteJob': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:jobLogs.export': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:jobLogs.setRetention': ['UNAVAILABLE'],
  // No webhook is set in the sample services (or the store is locked).
  'evolve:notifications.sendTest': ['UNAVAILABLE', 'INVALID_ARGUMENT'],
  // The sample names no profile (or the store is locked).
  'evolve:clusterRoles.list': ['UNAVAILABLE'],
  'evolve:clusterRoles.set': ['UNAVAILABLE', 'NOT_FOUND'],
  // Security events read the audit log (the store may be locked); forwarding is off in the sample services.
  'evolve:securityEvents.list': ['UNAVAILABLE'],
  'evolve:securityEvents.export': ['UNAVAILABLE'],
  'evolve:securityEvents.syslogSet': ['UNAVAILABLE'],
  'evolve:securityEvents.syslogTest': ['CONFLICT'],
  // App lock: the samples turn it on and off again (enable needs an open store); the rest then finds it off.
  'evolve:appLock.enable': ['UNAVAILABLE', 'CONFLICT'],
  'evolve:appLock.changePassphrase': ['UNAUTHENTICATED', 'CONFLICT'],
  'evolve:appLock.disable': ['CONFLICT'],
  'evolve:appLock.setIdleMinutes': ['CONFLICT'],
  'evolve:appLock.lock': ['CONFLICT'],
  'evolve:appLock.unlock': ['CONFLICT'],
  'evolve:appLock.totpBegin': ['CONFLICT'],
  'evolve:appLock.totpConfirm': ['CONFLICT'],
  'evolve:appLock.totpDisable': ['CONFLICT'],
  'evolve:appLock.recoveryCodesRegenerate': ['CONFLICT'],
};

/** Streams that run until cancelled (subscriptions): the harness cancels them after the first tick. */
export const OPEN_ENDED_STREAMS = new Set(['evolve:app.events']);
