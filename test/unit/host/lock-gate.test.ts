// The browser host's app lock gate (pure part): which messages are answered with the typed refusal while locked.
import { describe, expect, it } from 'vitest';
import { APP_LOCKED_MESSAGE, allowedWhileLocked, lockedRefusal } from '../../../main/host/lock-gate';

const refusal = { ok: false, error: { code: 'UNAUTHENTICATED', message: APP_LOCKED_MESSAGE, details: { appLocked: true } } };

describe('host lock gate', () => {
  it('refuses calls and streams with user data while locked, with the reply kind the client waits for', () => {
    expect(lockedRefusal({ t: 'call', id: 1, channel: 'evolve:store.status', input: {} }, true)).toEqual({
      t: 'result',
      id: 1,
      result: refusal,
    });
    expect(lockedRefusal({ t: 'open', id: 2, channel: 'evolve:chat.send', input: {} }, true)).toEqual({ t: 'end', id: 2, result: refusal });
    // A channel that only looks like an allowed one is still refused.
    expect(lockedRefusal({ t: 'call', id: 3, channel: 'evolve:appLockX.status', input: {} }, true)).not.toBeNull();
    expect(lockedRefusal({ t: 'call', id: 4, channel: 'evolve:app.statusX', input: {} }, true)).not.toBeNull();
  });

  it('lets through the lock screen channels, acks, cancels, malformed messages, and everything while unlocked', () => {
    for (const channel of [
      'evolve:appLock.unlock',
      'evolve:appLock.status',
      'evolve:app.status',
      'evolve:app.events',
      'evolve:settings.get',
      'evolve:store.unlockWithRecoveryKey',
    ]) {
      expect(allowedWhileLocked(channel), channel).toBe(true);
      expect(lockedRefusal({ t: 'call', id: 1, channel, input: {} }, true), channel).toBeNull();
    }
    expect(lockedRefusal({ t: 'ack', id: 1, n: 16 }, true)).toBeNull();
    expect(lockedRefusal({ t: 'cancel', id: 1 }, true)).toBeNull();
    expect(lockedRefusal({ nonsense: true }, true)).toBeNull();
    expect(lockedRefusal({ t: 'call', id: 1, channel: 'evolve:store.status', input: {} }, false)).toBeNull();
  });
});
