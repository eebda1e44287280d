// Handlers for the `projects` domain.
import { projectsContract } from '../../common/contracts/projects';
import { EvolveError } from '../../common/errors';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const projectsHandlers = (s: AppServices) => {
  const svc = () => {
    s.store.assertReady();
    return s.projects.service;
  };
  return implement(projectsContract, {
    list: () => svc().list(),
    pickFolder: async () => {
      if (!s.projects.pickFolder) {
        throw new EvolveError('UNAVAILABLE', "The folder dialog is part of the desktop app; type the folder's path instead.");
      }
      return { path: await s.projects.pickFolder() };
    },
    add: (input) => svc().add(input),
    remove: ({ projectId }) => svc().remove(projectId),
    updateGlobs: ({ projectId, include, exclude }) => svc().updateGlobs(projectId, { include, exclude }),
    index: async ({ projectId }, ctx, sink) => {
      const service = svc();
      // Closing the stream (the Cancel button, a closed page) cancels the run; it resumes from the catalog later.
      const onAbort = () => service.cancel(projectId);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await service.index(projectId, (p) => void sink.emit(p).catch(() => undefined));
        // Files changed later are picked up by the watcher.
        await service.watch(projectId).catch(() => undefined);
        return r;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
    cancel: ({ projectId }) => ({ cancelled: svc().cancel(projectId) }),
    pause: ({ projectId, paused }) => ({ paused: svc().pause(projectId, paused) }),
    status: ({ projectId }) => svc().status(projectId),
    search: ({ projectId, query, k, tokenBudget, expand }) =>
      svc().search(projectId, query, k ?? 10, tokenBudget ?? 8000, { expand: expand ?? false }),
    repoMap: ({ projectId, tokenBudget, focusFiles }) => svc().repoMap(projectId, tokenBudget ?? 1024, focusFiles ?? []),
  });
};
