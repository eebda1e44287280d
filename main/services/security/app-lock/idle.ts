// When the app locks itself (pure, fake-clock tested): after idleMinutes without user activity, or on OS sleep/screen lock.

export type LockTrigger = { kind: 'tick'; now: number } | { kind: 'os'; event: 'suspend' | 'lock-screen' | 'resume' | 'unlock-screen' };

export interface IdleState {
  enabled: boolean;
  locked: boolean;
  /** 0: never lock for idleness. */
  idleMinutes: number;
  lastActivityAt: number;
}

/** Whether `trigger` should lock the app now. */
export function shouldLock(s: IdleState, trigger: LockTrigger): boolean {
  if (!s.enabled || s.locked) return false;
  if (trigger.kind === 'os') return trigger.event === 'suspend' || trigger.event === 'lock-screen';
  return s.idleMinutes > 0 && trigger.now - s.lastActivityAt >= s.idleMinutes * 60_000;
}

/** How long until the idle check can next say yes (for the timer), or null when it never will. */
export function msUntilIdleLock(s: IdleState, now: number): number | null {
  if (!s.enabled || s.locked || s.idleMinutes <= 0) return null;
  return Math.max(0, s.lastActivityAt + s.idleMinutes * 60_000 - now);
}
