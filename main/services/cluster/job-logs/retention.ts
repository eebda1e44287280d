// Job-history retention: applies the policy (a setting) at startup and daily, and whenever it changes; each sweep is
// batched in the DB worker and audited there with its counts.
import { toErrorInfo } from '../../../../common/errors';
import type { JobHistoryRetention } from '../../../../common/contracts/job-logs';
import type { JobLogDeletion } from '../../../../common/store/job-log-requests';
import type { StoreService } from '../../store/store-service';

export const RETENTION_INTERVAL_MS = 24 * 3_600_000;

type Store = Pick<StoreService, 'client' | 'assertReady'>;

/** Runs the worker's sweep until nothing is left (each call at most `maxJobs` jobs, one transaction, one audit row). */
export async function applyRetention(store: Store, policy: JobHistoryRetention, now = Date.now()): Promise<JobLogDeletion> {
  store.assertReady();
  const total: JobLogDeletion = { jobs: 0, jobIds: [], logChunks: 0, logLines: 0 };
  if (policy.keepDays === 0 && policy.keepNewest === 0) return total;
  for (;;) {
    const r = await store.client.call('jobLog.applyRetention', { ...policy, now });
    total.jobs += r.jobs;
    total.jobIds.push(...r.jobIds);
    total.logChunks += r.logChunks;
    total.logLines += r.logLines;
    if (!r.more || r.jobs === 0) return total;
  }
}

export interface RetentionSchedulerOptions {
  store: Store;
  policy: () => Promise<JobHistoryRetention>;
  log: (level: 'info' | 'warn', msg: string) => void;
  intervalMs?: number;
}

/** Applies the policy now and then every interval while started; a failed sweep is logged and retried next time. */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: RetentionSchedulerOptions) {}

  start(): void {
    this.stop();
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.o.intervalMs ?? RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep; concurrent calls share the one in flight. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        const r = await applyRetention(this.o.store, await this.o.policy());
        if (r.jobs > 0) this.o.log('info', `job history retention removed ${r.jobs} jobs (${r.logLines} log lines)`);
      } catch (e) {
        this.o.log('warn', `job history retention failed: ${toErrorInfo(e).message}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
