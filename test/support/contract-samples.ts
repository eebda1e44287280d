// One valid input per channel. The round-trip test fails when a channel has no sample here, so every
// new contract verb gets exercised the day it is added.
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
  'evolve:audit.list': { kinds: ['unlock'], limit: 10 },
  'evolve:audit.verify': {},
  'evolve:audit.export': {},
  'evolve:audit.kinds': {},
};

/** Streams that run until cancelled (subscriptions): the harness cancels them after the first tick. */
export const OPEN_ENDED_STREAMS = new Set(['evolve:app.events']);
