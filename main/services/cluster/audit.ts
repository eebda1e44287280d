// AuditSink: where the cluster services record each action (submit, stop, resume, self-heal); the store's audit log comes later.

export type ClusterAuditKind =
  | 'cluster.submit'
  | 'cluster.stop'
  | 'cluster.resume'
  | 'cluster.self-heal'
  | 'cluster.self-heal-skipped'
  | 'cluster.job-failed'
  | 'cluster.job-finished'
  | 'cluster.silence'
  | 'cluster.unsilence'
  | 'cluster.diagnosis-fix';

export interface ClusterAuditEntry {
  kind: ClusterAuditKind;
  jobId?: string;
  profileId?: string;
  submissionId?: string;
  /** Short human-readable reason or detail (never secrets, never whole logs). */
  detail?: string;
  data?: Record<string, string | number | boolean | null>;
}

export interface AuditSink {
  append(entry: ClusterAuditEntry): Promise<void> | void;
}

/** Keeps entries in memory (tests, and the app until the store-backed sink is wired). */
export class MemoryAuditSink implements AuditSink {
  readonly entries: (ClusterAuditEntry & { at: number })[] = [];
  append(entry: ClusterAuditEntry): void {
    this.entries.push({ ...entry, at: Date.now() });
  }
  kinds(): ClusterAuditKind[] {
    return this.entries.map((e) => e.kind);
  }
}
