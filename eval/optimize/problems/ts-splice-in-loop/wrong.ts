// Fast but wrong: returns a filtered copy's count but leaves the caller's array unchanged (it must prune in place).

export interface Session {
  id: string;
  expiresAt: number;
}

export function pruneExpired(sessions: Session[], now: number): number {
  const kept = sessions.filter((s) => s.expiresAt > now);
  return sessions.length - kept.length;
}
