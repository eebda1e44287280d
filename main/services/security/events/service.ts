// Security events over the audit log: reads rows page by page, classifies, filters, and exports (no second store).
import fs from 'node:fs';
import path from 'node:path';
import type { SecurityEvent, SecurityEventFilter } from '../../../../common/contracts/security-events';
import type { AuditRow } from '../../../../common/store/audit';
import { classifyAuditRow } from './classify';
import { matchesFilter, toCsv, toJson } from './filter';

/** What the service needs from the store (StoreService.client has it; tests pass the real one on a temp dir). */
export interface AuditReader {
  assertReady(): void;
  listAudit(p: { since?: number; until?: number; afterSeq: number; limit: number }): Promise<AuditRow[]>;
}

const PAGE = 1000;
export const DEFAULT_EVENT_LIMIT = 500;

export class SecurityEventsService {
  constructor(
    private readonly audit: AuditReader,
    private readonly exportsDir: string,
  ) {}

  /**
   * Newest first. Reads every row in the time range (kinds are not prefiltered in the DB, so kinds other features add
   * later are classified too); keeps at most `limit` matches in memory.
   */
  async list(filter: SecurityEventFilter): Promise<SecurityEvent[]> {
    this.audit.assertReady();
    const limit = filter.limit ?? DEFAULT_EVENT_LIMIT;
    const kept: SecurityEvent[] = [];
    let afterSeq = 0;
    for (;;) {
      const rows = await this.audit.listAudit({
        ...(filter.since !== undefined ? { since: filter.since } : {}),
        ...(filter.until !== undefined ? { until: filter.until } : {}),
        afterSeq,
        limit: PAGE,
      });
      for (const r of rows) {
        const e = classifyAuditRow(r);
        if (e && matchesFilter(e, filter)) {
          kept.push(e);
          if (kept.length > limit) kept.shift();
        }
      }
      if (rows.length < PAGE) break;
      afterSeq = (rows[rows.length - 1] as AuditRow).seq;
    }
    return kept.reverse();
  }

  /** Writes the filtered events into the exports folder; returns where and how many. */
  async export(format: 'json' | 'csv', filter: SecurityEventFilter = {}): Promise<{ path: string; count: number }> {
    const events = await this.list({ ...filter, limit: filter.limit ?? 5000 });
    fs.mkdirSync(this.exportsDir, { recursive: true });
    const file = path.join(this.exportsDir, `security-events-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`);
    await fs.promises.writeFile(file, format === 'csv' ? toCsv(events) : toJson(events), { encoding: 'utf8', mode: 0o600 });
    return { path: file, count: events.length };
  }
}
