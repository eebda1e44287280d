// The app lock's gate on the browser host's socket (and the desktop IPC bridge): while the app is locked, only what the lock screen needs gets
// through (the lock's own calls, app status and events, settings for the theme); every other call or stream is
// answered at once with a typed UNAUTHENTICATED error instead of reaching a service.
import { ClientMessageSchema, type ServerMessage } from '../../common/contracts/wire';
import { err } from '../../common/result';

/** Channels the page may use while locked: the lock screen itself and the shell around it, nothing with user data. */
const ALLOWED_WHILE_LOCKED_PREFIXES = ['evolve:appLock.'] as const;
// The recovery key stays a way in while locked (a forgotten lock passphrase): it is a full-strength random secret.
const ALLOWED_WHILE_LOCKED = new Set([
  'evolve:app.status',
  'evolve:app.events',
  'evolve:settings.get',
  'evolve:store.unlockWithRecoveryKey',
]);

export const APP_LOCKED_MESSAGE = 'Evolve Studio is locked: unlock it to continue.';

export function allowedWhileLocked(channel: string): boolean {
  return ALLOWED_WHILE_LOCKED.has(channel) || ALLOWED_WHILE_LOCKED_PREFIXES.some((p) => channel.startsWith(p));
}

/**
 * The reply to send instead of dispatching `raw`, or null to let it through. Acks, cancels and malformed messages
 * always pass (the session answers malformed ones itself); so does everything while unlocked.
 */
export function lockedRefusal(raw: unknown, locked: boolean): ServerMessage | null {
  if (!locked) return null;
  const parsed = ClientMessageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const msg = parsed.data;
  if (msg.t !== 'call' && msg.t !== 'open') return null;
  if (allowedWhileLocked(msg.channel)) return null;
  const result = appLockedError();
  return msg.t === 'call' ? { t: 'result', id: msg.id, result } : { t: 'end', id: msg.id, result };
}

/** The typed refusal every transport answers while locked (the desktop window's IPC bridge uses it too). */
export const appLockedError = () => err({ code: 'UNAUTHENTICATED', message: APP_LOCKED_MESSAGE, details: { appLocked: true } });
