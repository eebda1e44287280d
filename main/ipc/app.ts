// Handlers for the `app` domain.
import type { AppEvent } from '../../common/contracts/app';
import { appContract } from '../../common/contracts/app';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const appHandlers = (s: AppServices) =>
  implement(appContract, {
    status: () => s.status(),
    events: async (_input, ctx, sink) => {
      let delivered = 0;
      // Queue events so a slow page applies backpressure here instead of dropping them.
      let chain: Promise<void> = Promise.resolve();
      const unsubscribe = s.events.subscribe((e: AppEvent) => {
        chain = chain
          .then(() => sink.emit(e))
          .then(
            () => void (delivered += 1),
            () => {},
          );
      });
      try {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        return { delivered };
      } finally {
        unsubscribe();
      }
    },
  });
