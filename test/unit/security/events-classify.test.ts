// The security-event classifier (one case per category), filtering, and the CSV export's quoting and formula guard.
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../common/contracts/security-events';
import { classifyAuditRow } from '../../../main/services/security/events/classify';
import { csvCell, matchesFilter, toCsv } from '../../../main/services/security/events/filter';

const row = (kind: string, data: unknown, seq = 7, at = 1_700_000_000_000) => ({ seq, at, kind, data });

describe('classifyAuditRow', () => {
  it('a failed store unlock is an unlock failure; a successful one is not an event', () => {
    const e = classifyAuditRow(row('unlock', { method: 'passphrase', ok: false }));
    expect(e).toMatchObject({ category: 'unlock-failure', severity: 'medium', actor: 'local user', seq: 7, kind: 'unlock' });
    expect(e?.summary).toContain('passphrase');
    expect(classifyAuditRow(row('unlock', { method: 'passphrase', ok: true }))).toBeNull();
  });

  it("the app lock's rows: failed unlock, repeated failures, admin re-auth, lockout, queued time", () => {
    const base = { purpose: 'unlock', factor: 'totp', occurredAt: 1_600_000_000_000 };
    const e = classifyAuditRow(row('security.unlock', { ...base, outcome: 'failed', failedAttempts: 1 }));
    expect(e).toMatchObject({ category: 'unlock-failure', severity: 'medium', at: 1_600_000_000_000 });
    expect(e?.summary).toBe('Unlock failed (totp), 1 failed in a row');
    expect(classifyAuditRow(row('security.unlock', { ...base, outcome: 'failed', failedAttempts: 4 }))?.severity).toBe('high');
    expect(classifyAuditRow(row('security.unlock', { ...base, purpose: 'admin', outcome: 'failed', failedAttempts: 1 }))?.summary).toMatch(
      /^Admin re-authentication failed/,
    );
    const lock = classifyAuditRow(row('security.unlock', { ...base, outcome: 'locked-out', failedAttempts: 5, retryAfterMs: 30_000 }));
    expect(lock).toMatchObject({ category: 'lockout', severity: 'high' });
    expect(lock?.summary).toContain('30 s');
    expect(classifyAuditRow(row('security.unlock', { ...base, outcome: 'ok', failedAttempts: 0 }))).toBeNull();
    // An unforeseen variant of a name still lands in the right category.
    expect(classifyAuditRow(row('app-lock.lockout-started', {}))?.category).toBe('lockout');
  });

  it('a role denial names the role, the action and the profile', () => {
    const e = classifyAuditRow(row('cluster.role-denied', { profileId: 'lab', action: 'submit', role: 'viewer', needed: 'operator' }));
    expect(e).toMatchObject({ category: 'role-denied', severity: 'medium', actor: 'role viewer' });
    expect(e?.summary).toBe('Role viewer may not submit on cluster profile lab');
    expect(e?.details).toMatchObject({ needed: 'operator' });
    const raise = { profileId: 'lab', from: 'viewer', to: 'admin', reason: 'wrong-proof' };
    expect(classifyAuditRow(row('cluster.role-change', { ...raise, ok: false }))).toMatchObject({
      category: 'role-denied',
      severity: 'high',
    });
    expect(classifyAuditRow(row('cluster.role-change', { ...raise, ok: true, reason: 'reauthenticated' }))).toBeNull();
  });

  it('a provider send with redactions is a redaction event; one without is not', () => {
    const e = classifyAuditRow(
      row('provider.send', {
        provider: 'openai',
        model: 'gpt',
        payloadBytes: 9,
        payloadSha256: 'a'.repeat(64),
        redactions: { 'aws-key': 1, email: 2 },
      }),
    );
    expect(e).toMatchObject({ category: 'redaction', severity: 'low', actor: 'openai' });
    expect(e?.details).toMatchObject({ total: 3, rules: 'aws-key,email' });
    expect(classifyAuditRow(row('provider.send', { provider: 'openai', redactions: { email: 0 } }))).toBeNull();
  });

  it('denied and expired approvals are blocked commands; approved ones are not', () => {
    const base = { approvalId: 'a1', action: 'command', origin: 'codegen', summary: 'rm -rf /' };
    expect(classifyAuditRow(row('security.approval', { ...base, decision: 'denied' }))).toMatchObject({
      category: 'blocked-command',
      severity: 'medium',
      actor: 'codegen',
    });
    expect(classifyAuditRow(row('security.approval', { ...base, decision: 'held' }))?.severity).toBe('info');
    expect(classifyAuditRow(row('security.approval', { ...base, decision: 'approved' }))).toBeNull();
  });

  it('flagged injections are events, severity by score', () => {
    const d = { surface: 'codegen', itemKind: 'file', source: 'README.md', score: 0.9, rules: ['ignore-previous'] };
    expect(classifyAuditRow(row('security.injection_flagged', d))).toMatchObject({ category: 'injection', severity: 'high' });
    expect(classifyAuditRow(row('security.injection_flagged', { ...d, score: 0.4 }))?.severity).toBe('medium');
  });

  it('API token refusals are token misuse; a locked app answering 503 is info', () => {
    const d = {
      status: 401,
      reason: 'revoked',
      method: 'POST',
      route: '/v1/chat/completions',
      remote: '127.0.0.1',
      tokenName: 'ci',
      suppressed: 2,
    };
    const e = classifyAuditRow(row('api.request.denied', d));
    expect(e).toMatchObject({ category: 'token-misuse', severity: 'medium', actor: 'token ci' });
    expect(e?.summary).toBe('Local API refused POST /v1/chat/completions (401 revoked) +2 more');
    expect(classifyAuditRow(row('api.request.denied', { ...d, status: 503, reason: 'locked' }))?.severity).toBe('info');
  });

  it('egress refusals are events', () => {
    const e = classifyAuditRow(
      row('security.egress_blocked', { feature: 'providers', host: 'api.openai.com', reason: 'offline', suppressed: 0 }),
    );
    expect(e).toMatchObject({ category: 'egress-refused', actor: 'providers' });
    expect(e?.summary).toContain('api.openai.com');
  });

  it('ignores unrelated kinds and survives malformed data', () => {
    expect(classifyAuditRow(row('file.applied', { path: 'a.ts' }))).toBeNull();
    expect(classifyAuditRow(row('settings.change', { key: 'theme' }))).toBeNull();
    expect(classifyAuditRow(row('security.lockout', 'not an object'))?.category).toBe('lockout');
    expect(classifyAuditRow(row('api.request.denied', null))?.category).toBe('token-misuse');
  });
});

const ev = (over: Partial<SecurityEvent>): SecurityEvent => ({
  seq: 1,
  kind: 'unlock',
  at: 1000,
  severity: 'medium',
  category: 'unlock-failure',
  summary: 'Unlock failed',
  actor: 'local user',
  details: {},
  ...over,
});

describe('filters', () => {
  it('by category, minimum severity, time range and text', () => {
    const e = ev({ details: { host: 'Evil.example' } });
    expect(matchesFilter(e, {})).toBe(true);
    expect(matchesFilter(e, { categories: ['lockout'] })).toBe(false);
    expect(matchesFilter(e, { minSeverity: 'high' })).toBe(false);
    expect(matchesFilter(e, { minSeverity: 'low' })).toBe(true);
    expect(matchesFilter(e, { since: 1001 })).toBe(false);
    expect(matchesFilter(e, { until: 999 })).toBe(false);
    expect(matchesFilter(e, { since: 1000, until: 1000 })).toBe(true);
    expect(matchesFilter(e, { text: 'evil.EXAMPLE' })).toBe(true);
    expect(matchesFilter(e, { text: 'nothing' })).toBe(false);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('guards cells a spreadsheet would run as formulas', () => {
    for (const f of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(f).replace(/^"/, '')[0]).toBe("'");
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header and one line per event, hostile actor neutralised', () => {
    const csv = toCsv([ev({ actor: '=cmd|" /C calc"!A0', details: { route: '/v1', n: 2 } })]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,time,severity,category,kind,actor,summary,details');
    expect(lines[1]).toBe(`1,1970-01-01T00:00:01.000Z,medium,unlock-failure,unlock,"'=cmd|"" /C calc""!A0",Unlock failed,route=/v1; n=2`);
  });
});
