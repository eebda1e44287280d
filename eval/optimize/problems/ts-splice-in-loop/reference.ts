// Reference: compacts the kept sessions to the front in one pass, then truncates once (O(n) instead of O(n^2)).

export interface Session {
  id: string;
  expiresAt: number;
}

export function pruneExpired(sessions: Session[], now: number): number {
  let kept = 0;
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    if (s.expiresAt > now) sessions[kept++] = s;
  }
  const removed = sessions.length - kept;
  sessions.length = kept;
  return removed;
}
