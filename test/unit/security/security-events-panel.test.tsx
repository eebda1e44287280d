// The Security events panel's table (labels, severities, audit seq, text never markup) and the syslog status line.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../common/contracts/security-events';
import { EventsTable, SecurityEventsPanel, SyslogStatusLine } from '../../../renderer/features/security/SecurityEventsPanel';

const events: SecurityEvent[] = [
  {
    seq: 9,
    kind: 'cluster.role-denied',
    at: 1,
    severity: 'medium',
    category: 'role-denied',
    summary: 'Role viewer may not submit',
    actor: 'role viewer',
    details: {},
  },
  {
    seq: 4,
    kind: 'security.unlock',
    at: 1,
    severity: 'high',
    category: 'lockout',
    summary: 'Locked out <b>',
    actor: 'local user',
    details: {},
  },
];

describe('SecurityEventsPanel', () => {
  it('shows one row per event with its category label; event text is text, never markup', () => {
    const html = renderToString(<EventsTable events={events} />);
    expect(html.match(/<tr data-severity="(medium|high)"/g)).toHaveLength(2);
    expect(html).toContain('Role denials');
    expect(html).toContain('Lockouts');
    expect(html).toContain('Locked out &lt;b&gt;');
  });

  it('shows the forwarder state with drops and the last error', () => {
    const html = renderToString(
      <SyslogStatusLine
        status={{ enabled: true, connected: false, queued: 3, sent: 10, dropped: 2, lastError: 'ECONNREFUSED', retryAt: 5 }}
      />,
    );
    const text = html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '');
    expect(text).toBe('Not connected · sent 10 · queued 3 · dropped 2 · last error: ECONNREFUSED');
  });

  it('renders the filters, export buttons and syslog form before anything loaded', () => {
    const html = renderToString(<SecurityEventsPanel />);
    for (const id of [
      'security-category',
      'security-severity',
      'security-text',
      'security-export-json',
      'security-export-csv',
      'syslog-host',
      'syslog-test',
    ])
      expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('No security events match');
  });
});
