// Removes expired sessions from the in-memory session list of the dev server.

export interface Session {
  id: string;
  expiresAt: number;
}

/** Removes (in place) every session that expired at or before `now`; returns how many were removed. */
export function pruneExpired(sessions: Session[], now: number): number {
  let removed = 0;
  for (let i = 0; i < sessions.length;) {
    if (sessions[i]!.expiresAt <= now) {
      sessions.splice(i, 1);
      removed++;
    } else {
      i++;
    }
  }
  return removed;
}
