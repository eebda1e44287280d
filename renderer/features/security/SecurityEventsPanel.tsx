// Security events panel (Audit section): unlock failures, lockouts, role denials, redactions, blocked commands, token
// misuse and egress refusals from the audit log — filter, export as JSON/CSV, and syslog forwarding settings.
import { useEffect, useState } from 'react';
import {
  DEFAULT_SYSLOG_SETTINGS,
  SECURITY_CATEGORIES,
  SECURITY_SEVERITIES,
  type SecurityCategory,
  type SecurityEvent,
  type SecuritySeverity,
  type SyslogSettings,
  type SyslogStatus,
} from '../../../common/contracts/security-events';
import { useSecurityEvents } from './security-events-store';

const CATEGORY_LABELS: Record<SecurityCategory, string> = {
  'unlock-failure': 'Unlock failures',
  lockout: 'Lockouts',
  'role-denied': 'Role denials',
  redaction: 'Redactions',
  'blocked-command': 'Blocked commands',
  injection: 'Prompt injection',
  'token-misuse': 'Token misuse',
  'egress-refused': 'Egress refusals',
};

/** "2026-12-02T10:00" (datetime-local) ↔ ms since epoch. */
const fromLocal = (v: string): number | undefined => (v ? new Date(v).getTime() : undefined);

/** Loads the saved settings; the form below starts from them (and again whenever they change in main). */
function SyslogSettingsSection() {
  const syslog = useSecurityEvents((s) => s.syslog);
  const loadSyslog = useSecurityEvents((s) => s.loadSyslog);
  useEffect(() => void loadSyslog(), [loadSyslog]);
  const initial = syslog ?? DEFAULT_SYSLOG_SETTINGS;
  return <SyslogSettingsForm key={JSON.stringify(initial)} initial={initial} />;
}

function SyslogSettingsForm({ initial }: { initial: SyslogSettings }) {
  const { syslog, syslogStatus, syslogMessage, saveSyslog, testSyslog } = useSecurityEvents();
  const [draft, setDraft] = useState<SyslogSettings>(initial);
  const upd = (p: Partial<SyslogSettings>) => setDraft({ ...draft, ...p });
  return (
    <fieldset data-testid="syslog-settings">
      <legend>Forward to syslog (RFC 5424 over TCP/TLS)</legend>
      <div className="row">
        <label>
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => upd({ enabled: e.target.checked })}
            data-testid="syslog-enabled"
          />{' '}
          On
        </label>
        <label>
          Host{' '}
          <input
            value={draft.host}
            onChange={(e) => upd({ host: e.target.value })}
            placeholder="siem.example.org"
            data-testid="syslog-host"
          />
        </label>
        <label>
          Port{' '}
          <input
            type="number"
            min={1}
            max={65535}
            value={draft.port}
            onChange={(e) => upd({ port: Number(e.target.value) })}
            data-testid="syslog-port"
          />
        </label>
        <label>
          <input type="checkbox" checked={draft.tls} onChange={(e) => upd({ tls: e.target.checked })} data-testid="syslog-tls" /> TLS
        </label>
        <label>
          App name <input value={draft.appName} onChange={(e) => upd({ appName: e.target.value })} data-testid="syslog-app-name" />
        </label>
      </div>
      <label>
        CA certificate (PEM, for a private CA; certificates are always verified)
        <textarea
          rows={3}
          value={draft.caPem}
          onChange={(e) => upd({ caPem: e.target.value })}
          placeholder="-----BEGIN CERTIFICATE-----"
          data-testid="syslog-ca"
        />
      </label>
      <p className="muted">
        While offline-only is on, also allow the host under Settings → Privacy → Allowed destinations → Security event forwarding.
      </p>
      <div className="row">
        <button type="button" onClick={() => void saveSyslog(draft)} data-testid="syslog-save">
          Save
        </button>
        <button type="button" onClick={() => void testSyslog()} disabled={!syslog?.enabled} data-testid="syslog-test">
          Send test
        </button>
        {syslogMessage && (
          <span
            className={syslogMessage.ok ? 'ok-text' : 'error-text'}
            role={syslogMessage.ok ? 'status' : 'alert'}
            data-testid="syslog-message"
          >
            {syslogMessage.text}
          </span>
        )}
      </div>
      {syslogStatus?.enabled && <SyslogStatusLine status={syslogStatus} />}
    </fieldset>
  );
}

/** The events table (pure: the tests render it with fixed events). */
export function EventsTable({ events }: { events: readonly SecurityEvent[] }) {
  return (
    <table className="audit-table" data-testid="security-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Severity</th>
          <th>Category</th>
          <th>Actor</th>
          <th>Summary</th>
          <th>Audit #</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq} data-severity={e.severity}>
            <td>{new Date(e.at).toLocaleString()}</td>
            <td>{e.severity}</td>
            <td>{CATEGORY_LABELS[e.category]}</td>
            <td>{e.actor}</td>
            <td className="details" title={JSON.stringify(e.details)}>
              {e.summary}
            </td>
            <td>{e.seq}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One line on the forwarder: connected or not, and the counts (pure). */
export function SyslogStatusLine({ status }: { status: SyslogStatus }) {
  return (
    <p className="muted" data-testid="syslog-status">
      {status.connected ? 'Connected' : 'Not connected'} · sent {status.sent} · queued {status.queued} · dropped {status.dropped}
      {status.lastError ? ` · last error: ${status.lastError}` : ''}
    </p>
  );
}

export function SecurityEventsPanel() {
  const s = useSecurityEvents();
  const { load } = s;
  useEffect(() => void load(), [load]);
  const f = s.filter;
  return (
    <fieldset data-testid="security-events">
      <legend>Security events</legend>
      <div className="row">
        <label>
          Category{' '}
          <select
            value={f.categories?.[0] ?? ''}
            onChange={(e) => void s.setFilter({ categories: e.target.value ? [e.target.value as SecurityCategory] : undefined })}
            data-testid="security-category"
          >
            <option value="">All</option>
            {SECURITY_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity{' '}
          <select
            value={f.minSeverity ?? ''}
            onChange={(e) => void s.setFilter({ minSeverity: (e.target.value || undefined) as SecuritySeverity | undefined })}
            data-testid="security-severity"
          >
            <option value="">Any</option>
            {SECURITY_SEVERITIES.map((v) => (
              <option key={v} value={v}>
                {v} or worse
              </option>
            ))}
          </select>
        </label>
        <label>
          From{' '}
          <input
            type="datetime-local"
            onChange={(e) => void s.setFilter({ since: fromLocal(e.target.value) })}
            data-testid="security-since"
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            onChange={(e) => void s.setFilter({ until: fromLocal(e.target.value) })}
            data-testid="security-until"
          />
        </label>
        <label>
          Text{' '}
          <input
            type="search"
            value={f.text ?? ''}
            onChange={(e) => void s.setFilter({ text: e.target.value || undefined })}
            data-testid="security-text"
          />
        </label>
        <button type="button" onClick={() => void s.exportAs('json')} data-testid="security-export-json">
          Export JSON
        </button>
        <button type="button" onClick={() => void s.exportAs('csv')} data-testid="security-export-csv">
          Export CSV
        </button>
      </div>
      {s.exported && (
        <p role="status">
          Exported {s.exported.count} events to {s.exported.path}
        </p>
      )}
      {s.error && (
        <p role="alert" className="error-text">
          {s.error}
        </p>
      )}
      <EventsTable events={s.events} />
      {s.events.length === 0 && !s.loading && <p className="lede">No security events match.</p>}
      <SyslogSettingsSection />
    </fieldset>
  );
}
