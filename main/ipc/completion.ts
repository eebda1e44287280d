// Handlers for the `completion` domain: inline completion in the Code editor (needs the unlocked store for the project).
import { completionContract } from '../../common/contracts/completion';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const completionHandlers = (s: AppServices) =>
  implement(completionContract, {
    inline: (input, ctx) => {
      s.store.assertReady();
      return s.completion.complete(input, ctx.signal);
    },
    warm: async ({ projectId }) => {
      s.store.assertReady();
      return { model: await s.completion.warm(projectId) };
    },
    // No store needed: it only aborts what this process already runs.
    cancelInline: (input) => ({ cancelled: s.completion.cancel(input) }),
  });
