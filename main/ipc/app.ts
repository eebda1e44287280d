// Handlers for the `app` domain.
import type { AppEvent } from '../../common/contracts/app';
import { appContract } from '../../common/contracts/app';
import type { AppServices } from '../services';
import { implement } from './handlers';
import { Sequencer } from '../../common/base/sequencer';

export const appHandlers = (s: AppServices) =>
  implement(appContract, {
    status: () => s.status(),
    logs: ({ limit, minLevel }) => ({ file: s.logger.file, entries: s.logger.tail(limit, minLevel) }),
    pauseBackground: ({ paused }) => {
      s.work.setPaused(paused);
      return { paused: s.work.snapshot().paused };
    },
    events: async (_input, ctx, sink) => {
      let delivered = 0;
      // App events are rare and each one matters (crashes, notifications): kept in order, none dropped.
      const inOrder = new Sequencer();
      const unsubscribe = s.events.subscribe((e: AppEvent) => {
        inOrder
          .queue(() => sink.emit(e))
          .then(
            () => void (delivered += 1),
            () => undefined,
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
