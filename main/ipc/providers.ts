// Handlers for the `providers` domain: thin calls into AppProviders (the store must be unlocked: configs, keys and usage live there).
import { providersContract } from '../../common/contracts/providers';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const providersHandlers = (s: AppServices) => {
  const p = s.providers;
  const ready = () => s.store.assertReady();
  return implement(providersContract, {
    list: () => (ready(), p.list()),
    upsert: (input) => (ready(), p.upsert(input.config, input.apiKey, input.clearKey === true)),
    test: (input, ctx) => (ready(), p.test(input.id, ctx.signal)),
    models: (input, ctx) => (ready(), p.models(input.id, ctx.signal)),
    getRoutes: () => (ready(), p.getRoutes()),
    setRoutes: (input) => (ready(), p.setRoutes(input)),
    getBudgets: () => (ready(), p.budgets()),
    setBudgets: (input) => (ready(), p.setBudgets(input)),
    preview: (input) => {
      ready();
      return p.preview({ ...input, projectId: input.projectId ?? null });
    },
    send: (input, ctx, sink) => {
      ready();
      return p.send({ ...input, projectId: input.projectId ?? null }, ctx.signal, (e) => sink.emit(e));
    },
    usage: (input) => {
      ready();
      return p.usage(input.sinceMs ?? 0, input.bucketMs ?? 3_600_000);
    },
    cacheStats: () => ({ ...p.cache.stats(), storage: 'encrypted-store' as const }),
    serverStart: (input) => p.server.start(input),
    serverStop: () => p.server.stop(),
    serverStatus: () => p.server.status(),
    serverSetSettings: (input) => p.server.setSettings(input),
    serverRevealToken: () => p.server.revealToken(),
    serverRegenerateToken: () => p.server.regenerateToken(),
    remove: async (input) => {
      ready();
      return { removed: await p.remove(input.id) };
    },
  });
};
