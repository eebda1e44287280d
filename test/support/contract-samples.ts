// One valid input per channel. The round-trip test fails when a channel has no sample here, so every
// new contract verb gets exercised the day it is added.
export const VALID_INPUTS: Record<string, unknown> = {
  'evolve:app.status': {},
  'evolve:app.events': {},
  'evolve:settings.get': {},
  'evolve:settings.update': { theme: 'dark', offlineOnly: false },
  'evolve:doctor.list': {},
  'evolve:doctor.run': { only: ['node'] },
};

/** Streams that run until cancelled (subscriptions): the harness cancels them after the first tick. */
export const OPEN_ENDED_STREAMS = new Set(['evolve:app.events']);
