// Pure filtering and export encoding of security events (JSON, and CSV guarded against spreadsheet formula injection).
import {
  SECURITY_SEVERITIES,
  type SecurityEvent,
  type SecurityEventFilter,
  type SecuritySeverity,
} from '../../../../common/contracts/security-events';

const rank = (s: SecuritySeverity): number => SECURITY_SEVERITIES.indexOf(s);

/** Whether one event passes the filter (limit is applied by the caller). */
export function matchesFilter(e: SecurityEvent, f: SecurityEventFilter): boolean {
  if (f.categories && f.categories.length > 0 && !f.categories.includes(e.category)) return false;
  if (f.minSeverity && rank(e.severity) > rank(f.minSeverity)) return false;
  if (f.since !== undefined && e.at < f.since) return false;
  if (f.until !== undefined && e.at > f.until) return false;
  const q = f.text?.trim().toLowerCase();
  if (q) {
    const hay = [e.summary, e.actor, e.kind, e.category, ...Object.values(e.details).map((v) => String(v))].join('\n').toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

export const CSV_COLUMNS = ['seq', 'time', 'severity', 'category', 'kind', 'actor', 'summary', 'details'] as const;

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or
 * carriage return that some apps strip first) gets a leading single quote, so an attacker-chosen token name or host
 * cannot run as a formula when the export is opened (OWASP CSV injection).
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(events: readonly SecurityEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    const details = Object.entries(e.details)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('; ');
    const cells = [String(e.seq), new Date(e.at).toISOString(), e.severity, e.category, e.kind, e.actor, e.summary, details];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(events: readonly SecurityEvent[]): string {
  return `${JSON.stringify(events, null, 2)}\n`;
}
