// One valid input per channel. The round-trip test fails when a channel has no sample here, so every
// new contract verb gets exercised the day it is added.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** An empty folder the model-folder samples watch (created by ensureSampleFolders). */
export const SAMPLE_MODEL_FOLDER = path.join(os.tmpdir(), 'evolve-contract-sample-models');
export function ensureSampleFolders(): void {
  fs.mkdirSync(SAMPLE_MODEL_FOLDER, { recursive: true });
}

export const VALID_INPUTS: Record<string, unknown> = {
  'evolve:app.status': {},
  'evolve:app.events': {},
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
  'evolve:store.restore': { name: 'no-such-backup.db' },
  'evolve:audit.list': { kinds: ['unlock'], limit: 10 },
  'evolve:audit.verify': {},
  'evolve:audit.export': {},
  'evolve:audit.kinds': {},
  'evolve:models.engine': {},
  'evolve:models.list': {},
  'evolve:models.catalog': {},
  'evolve:models.estimate': { modelId: 'no-such-model', contextSize: 2048 },
  'evolve:models.setOverrides': { modelId: 'no-such-model', gpuLayers: 0 },
  'evolve:models.load': { modelId: 'no-such-model' },
  'evolve:models.unload': { modelId: 'no-such-model' },
  'evolve:models.import': { path: '/nonexistent/evolve/model.gguf' },
  'evolve:models.download': { catalogId: 'no-such-catalog-entry' },
  'evolve:models.folders': {},
  'evolve:models.addFolder': { path: SAMPLE_MODEL_FOLDER },
  'evolve:models.removeFolder': { path: SAMPLE_MODEL_FOLDER },
  'evolve:chat.threads': {},
  'evolve:chat.createThread': { title: 'Round trip' },
  'evolve:chat.renameThread': { threadId: 'no-such-thread', title: 'x' },
  'evolve:chat.deleteThread': { threadId: 'no-such-thread' },
  'evolve:chat.messages': { threadId: 'no-such-thread' },
  'evolve:chat.send': { threadId: 'no-such-thread', modelId: 'no-such-model', action: 'send', text: 'hello' },
  'evolve:chat.search': { query: 'hello' },
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
  'evolve:providers.remove': { id: 'sample' },
  'evolve:cluster.profiles': {},
  'evolve:cluster.upsertProfile': { profile: { id: 'sample', name: 'Sample', dashboardUrl: 'http://127.0.0.1:9' } },
  'evolve:cluster.removeProfile': { id: 'no-such-profile' },
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
  'evolve:cluster.acknowledge': { profileId: 'no-such-profile', labels: { alertname: 'NodeDown' }, minutes: 60 },
  'evolve:cluster.unacknowledge': { profileId: 'no-such-profile', silenceId: 'no-such-silence' },
};

/**
 * Channels whose sample names something that does not exist here (a model, a thread): the round trip must
 * then end in one of these typed errors — the full pipe is still exercised, and anything else fails. The
 * happy paths run with the real model in test/integration/chat and test/e2e/chat.
 */
export const EXPECTED_ERRORS: Record<string, string[]> = {
  'evolve:store.restore': ['NOT_FOUND'],
  'evolve:cluster.upsertProfile': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.testConnection': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.nodes': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.submit': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.job': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.logs': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.follow': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.stop': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.resume': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.overview': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.alerts': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.acknowledge': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.unacknowledge': ['UNAVAILABLE', 'NOT_FOUND'],
  'evolve:cluster.profiles': ['UNAVAILABLE'],
  'evolve:cluster.jobs': ['UNAVAILABLE'],
  'evolve:cluster.removeProfile': ['UNAVAILABLE'],
  'evolve:models.estimate': ['NOT_FOUND'],
  'evolve:models.setOverrides': ['NOT_FOUND'],
  'evolve:models.load': ['NOT_FOUND'],
  'evolve:models.unload': ['NOT_FOUND'],
  'evolve:models.import': ['NOT_FOUND'],
  'evolve:models.download': ['NOT_FOUND'],
  'evolve:chat.renameThread': ['NOT_FOUND'],
  'evolve:chat.send': ['NOT_FOUND', 'INVALID_ARGUMENT', 'CONFLICT'],
};

/** Streams that run until cancelled (subscriptions): the harness cancels them after the first tick. */
export const OPEN_ENDED_STREAMS = new Set(['evolve:app.events']);
