// Pure classifier: one audit row → a security event (or null when the row is not security-relevant).
import type { SecurityCategory, SecurityEvent, SecuritySeverity } from '../../../../common/contracts/security-events';

/** The row shape the classifier needs (AuditRow has it; kinds are strings so kinds added later slot in). */
export interface ClassifiableRow {
  seq: number;
  at: number;
  kind: string;
  data: unknown;
}

type Data = Record<string, unknown>;
type Details = SecurityEvent['details'];
type Verdict = { category: SecurityCategory; severity: SecuritySeverity; summary: string; actor: string; details?: Details } | null;
type Rule = (d: Data, kind: string) => Verdict;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const LOCAL_USER = 'local user';

/** Keeps only scalar fields (strings cut to 2000 chars); arrays of scalars become a comma list. */
function flatDetails(d: Data): Details {
  const out: Details = {};
  for (const [k, v] of Object.entries(d)) {
    if (k.length > 100) continue;
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
    else if (typeof v === 'string') out[k] = v.slice(0, 2000);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) out[k] = v.join(',').slice(0, 2000);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      // One level of nesting (redaction counts, cluster action data) flattened as "parent.child".
      for (const [k2, v2] of Object.entries(v as Data)) {
        const key = `${k}.${k2}`;
        if (key.length > 100) continue;
        if (v2 === null || typeof v2 === 'boolean' || typeof v2 === 'number') out[key] = v2;
        else if (typeof v2 === 'string') out[key] = v2.slice(0, 2000);
      }
    }
  }
  return out;
}

/** A failed unlock or re-authentication (store or app lock). Attempts that succeeded are not security events. */
const unlockRule: Rule = (d) => {
  if (d.outcome === 'locked-out' || d.lockedOut === true) return lockoutRule(d, '');
  const failed = d.ok === false || d.outcome === 'failure' || d.outcome === 'failed' || d.outcome === 'denied';
  if (!failed) return null;
  const method = str(d.factor) ?? str(d.method) ?? 'unknown method';
  const attempts = num(d.failedAttempts) ?? num(d.attempts);
  const what = d.purpose === 'admin' ? 'Admin re-authentication' : d.purpose === 'change' ? 'Lock change' : 'Unlock';
  return {
    category: 'unlock-failure',
    severity: attempts !== undefined && attempts >= 3 ? 'high' : 'medium',
    summary: `${what} failed (${method})${attempts !== undefined ? `, ${attempts} failed in a row` : ''}`,
    actor: str(d.actor) ?? str(d.origin) ?? LOCAL_USER,
  };
};

const lockoutRule: Rule = (d) => {
  const ms = num(d.retryAfterMs) ?? num(d.lockoutMs) ?? num(d.delayMs);
  const secs = ms !== undefined ? ` for ${Math.ceil(ms / 1000)} s` : '';
  return {
    category: 'lockout',
    severity: 'high',
    summary: `Locked out after repeated failed unlocks${secs}`,
    actor: str(d.actor) ?? str(d.origin) ?? LOCAL_USER,
  };
};

const roleDeniedRule: Rule = (d) => {
  const action = str(d.action) ?? 'an action';
  const role = str(d.role);
  const profile = str(d.profileId) ?? str(d.clusterProfileId);
  return {
    category: 'role-denied',
    severity: 'medium',
    summary: `Role ${role ?? '(unknown)'} may not ${action}${profile ? ` on cluster profile ${profile}` : ''}`,
    actor: str(d.actor) ?? (role ? `role ${role}` : LOCAL_USER),
  };
};

/** A refused role raise (wrong proof, or no app lock to prove it with) is a denial too; granted changes are not. */
const roleChangeRule: Rule = (d) => {
  if (d.ok !== false) return null;
  return {
    category: 'role-denied',
    severity: 'high',
    summary: `Raising role ${str(d.from) ?? '?'} → ${str(d.to) ?? '?'} on cluster profile ${str(d.profileId) ?? '?'} refused (${str(d.reason) ?? 'no reason'})`,
    actor: LOCAL_USER,
  };
};

const redactionRule: Rule = (d) => {
  const counts = d.redactions && typeof d.redactions === 'object' ? (d.redactions as Data) : {};
  const total = Object.values(counts).reduce<number>((n, v) => n + (num(v) ?? 0), 0);
  if (total === 0) return null;
  const rules = Object.keys(counts).filter((k) => (num(counts[k]) ?? 0) > 0);
  return {
    category: 'redaction',
    severity: 'low',
    summary: `${total} secret${total === 1 ? '' : 's'} redacted before sending to ${str(d.provider) ?? 'a provider'} (${rules.join(', ')})`,
    actor: str(d.provider) ?? 'provider',
    details: { provider: str(d.provider) ?? null, model: str(d.model) ?? null, total, rules: rules.join(',') },
  };
};

const approvalRule: Rule = (d) => {
  const decision = str(d.decision);
  if (decision !== 'denied' && decision !== 'expired' && decision !== 'held') return null;
  const action = str(d.action) ?? 'action';
  return {
    category: 'blocked-command',
    // Held is "waiting for the user" (info); denied and expired mean it never ran.
    severity: decision === 'held' ? 'info' : 'medium',
    summary: `${action} ${decision === 'held' ? 'held for approval' : decision}: ${str(d.summary) ?? ''}`.trim(),
    actor: str(d.origin) ?? 'model',
  };
};

const injectionRule: Rule = (d) => {
  const score = num(d.score) ?? 0;
  return {
    category: 'injection',
    severity: score >= 0.8 ? 'high' : 'medium',
    summary: `Possible prompt injection in ${str(d.itemKind) ?? 'untrusted input'} (${str(d.source) ?? 'unknown source'})`,
    actor: str(d.surface) ?? 'untrusted input',
  };
};

const tokenRule: Rule = (d) => {
  const status = num(d.status) ?? 0;
  const reason = str(d.reason) ?? 'denied';
  // A locked app answering 503 is the lock working, not misuse; rate limits are noise-level.
  const severity: SecuritySeverity = reason === 'locked' ? 'info' : reason === 'rate' ? 'low' : 'medium';
  const who = str(d.tokenName) ? `token ${str(d.tokenName)}` : (str(d.remote) ?? 'unknown client');
  const suppressed = num(d.suppressed) ?? 0;
  return {
    category: 'token-misuse',
    severity,
    summary:
      `Local API refused ${str(d.method) ?? ''} ${str(d.route) ?? ''} (${status} ${reason})${suppressed > 0 ? ` +${suppressed} more` : ''}`.replace(
        /\s+/g,
        ' ',
      ),
    actor: who,
  };
};

const egressRule: Rule = (d) => {
  const where = str(d.host) ?? 'a remote host';
  const suppressed = num(d.suppressed) ?? 0;
  return {
    category: 'egress-refused',
    severity: 'medium',
    summary: `Outbound connection to ${where} refused (${str(d.feature) ?? 'unknown feature'})${suppressed > 0 ? ` +${suppressed} more` : ''}`,
    actor: str(d.feature) ?? 'app',
  };
};

/** Cluster sign-in (issue 14 item 3): a token sent over or held back from plain http, a failed sign-in or renewal. */
const CLUSTER_AUTH: Record<string, { severity: SecuritySeverity; what: string }> = {
  'token-over-http-sent': { severity: 'medium', what: 'token sent over plain http' },
  'token-over-http-refused': { severity: 'low', what: 'token held back from plain http' },
  'refresh-failed': { severity: 'low', what: 'sign-in could not be renewed' },
  'sign-in-failed': { severity: 'info', what: 'sign-in failed' },
};
const clusterAuthRule: Rule = (d) => {
  const ev = CLUSTER_AUTH[str(d.event) ?? ''];
  if (!ev) return null; // sign-in and sign-out are routine
  return {
    category: 'token-misuse',
    severity: ev.severity,
    summary: `Cluster ${str(d.profileId) ?? '?'}: ${ev.what}${str(d.detail) ? ` (${str(d.detail)})` : ''}`.slice(0, 1000),
    actor: str(d.subject) ?? LOCAL_USER,
    details: flatDetails(d),
  };
};

/**
 * Kinds → rules. Kinds that L1/L3 add later (security.unlock, security.lockout, cluster.role-denied) are listed here
 * already; prefix fallbacks below catch close variants (e.g. "app-lock.lockout").
 */
const RULES: Record<string, Rule> = {
  unlock: unlockRule,
  'security.unlock': unlockRule,
  'app-lock.unlock': unlockRule,
  'security.totp': unlockRule,
  'security.lockout': lockoutRule,
  'app-lock.lockout': lockoutRule,
  'cluster.role-denied': roleDeniedRule,
  'cluster.role-change': roleChangeRule,
  'provider.send': redactionRule,
  'security.redaction': redactionRule,
  'security.approval': approvalRule,
  'security.injection_flagged': injectionRule,
  'api.request.denied': tokenRule,
  'security.egress_blocked': egressRule,
  'cluster.auth': clusterAuthRule,
};

function ruleFor(kind: string): Rule | undefined {
  const exact = RULES[kind];
  if (exact) return exact;
  if (/lockout/.test(kind)) return lockoutRule;
  if (/role[-_.]denied/.test(kind)) return roleDeniedRule;
  if (/(^|\.)unlock/.test(kind)) return unlockRule;
  return undefined;
}

/** The security event an audit row stands for, or null. Never throws on odd data (rows from older versions). */
export function classifyAuditRow(row: ClassifiableRow): SecurityEvent | null {
  const rule = ruleFor(row.kind);
  if (!rule) return null;
  const data: Data = row.data && typeof row.data === 'object' && !Array.isArray(row.data) ? (row.data as Data) : {};
  const v = rule(data, row.kind);
  if (!v) return null;
  // App-lock rows written after the fact (queued while the DB was closed) carry when they happened.
  const occurredAt = num(data.occurredAt);
  return {
    seq: row.seq,
    kind: row.kind,
    at: occurredAt !== undefined && occurredAt >= 0 ? Math.floor(occurredAt) : row.at,
    severity: v.severity,
    category: v.category,
    summary: v.summary.slice(0, 1000),
    actor: v.actor.slice(0, 300),
    details: v.details ?? flatDetails(data),
  };
}

/** The audit kinds worth reading for security events (a DB-side prefilter; the classifier has the final say). */
export const SECURITY_AUDIT_KINDS: readonly string[] = Object.keys(RULES);
