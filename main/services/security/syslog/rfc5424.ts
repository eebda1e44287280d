// RFC 5424 syslog message formatting for security events, plus RFC 6587 octet-counting framing. Pure.
import type { SecurityEvent, SecuritySeverity } from '../../../../common/contracts/security-events';

export const NILVALUE = '-';
/** RFC 5424 §6.4: MSG in UTF-8 starts with the byte order mark. */
export const BOM = '\uFEFF';
/** facility 10 = security/authorization (authpriv). */
export const SYSLOG_FACILITY = 10;
/** Private SD-ID: name@PEN. 32473 is the PEN that RFC 5612 reserves for documentation and examples. */
export const SD_ID = 'evolve@32473';

const SEVERITY_CODE: Record<SecuritySeverity, number> = { high: 3, medium: 4, low: 5, info: 6 };

export interface HeaderFields {
  /** Milliseconds since epoch; null → NILVALUE. */
  at: number | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
}

/** PRINTUSASCII only (%d33-126), cut to `max`; empty → NILVALUE (RFC 5424 §6.2). */
export function headerField(v: string | null, max: number): string {
  if (v === null) return NILVALUE;
  const clean = v.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean.length > 0 ? clean : NILVALUE;
}

/** SD-NAME (PARAM-NAME): 1–32 PRINTUSASCII except '=', SP, ']', '"'. Other characters become '_'. */
export function sdName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]|[=\]"]/g, '_').slice(0, 32);
  return clean.length > 0 ? clean : '_';
}

/** PARAM-VALUE escaping (RFC 5424 §6.3.3): '"', '\' and ']' are preceded by a backslash. */
export function escapeParamValue(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** STRUCTURED-DATA with one element, or NILVALUE when there are no params. */
export function structuredData(id: string, params: readonly [string, string][]): string {
  if (params.length === 0) return NILVALUE;
  return `[${sdName(id)}${params.map(([k, v]) => ` ${sdName(k)}="${escapeParamValue(v)}"`).join('')}]`;
}

/** TIMESTAMP (RFC 3339, UTC, milliseconds) or NILVALUE. */
export function timestamp(at: number | null): string {
  return at === null || !Number.isFinite(at) ? NILVALUE : new Date(at).toISOString();
}

/**
 * One SYSLOG-MSG. MSG is omitted when empty; otherwise it is MSG-UTF8 (BOM first) when it holds any non-ASCII
 * character, and plain MSG-ANY when it is pure ASCII (a receiver reads both, and ASCII lines stay grep-able).
 */
export function formatSyslog(pri: number, h: HeaderFields, sd: string, msg: string): string {
  const header = [
    `<${pri}>1`,
    timestamp(h.at),
    headerField(h.hostname, 255),
    headerField(h.appName, 48),
    headerField(h.procId, 128),
    headerField(h.msgId, 32),
  ].join(' ');
  if (msg.length === 0) return `${header} ${sd}`;
  // eslint-disable-next-line no-control-regex
  const body = /^[\x00-\x7f]*$/.test(msg) ? msg : `${BOM}${msg}`;
  return `${header} ${sd} ${body}`;
}

export function priority(severity: SecuritySeverity, facility = SYSLOG_FACILITY): number {
  return facility * 8 + SEVERITY_CODE[severity];
}

/** A security event as one RFC 5424 message: every field of the event in the SD element, the summary as MSG. */
export function formatSecurityEvent(e: SecurityEvent, o: { hostname: string | null; appName: string; procId: string | null }): string {
  const params: [string, string][] = [
    ['seq', String(e.seq)],
    ['kind', e.kind],
    ['category', e.category],
    ['severity', e.severity],
    ['actor', e.actor],
    ['summary', e.summary],
  ];
  for (const [k, v] of Object.entries(e.details)) params.push([`d.${k}`, String(v)]);
  return formatSyslog(
    priority(e.severity),
    { at: e.at, hostname: o.hostname, appName: o.appName, procId: o.procId, msgId: e.category },
    structuredData(SD_ID, params),
    e.summary,
  );
}

/** The "send test" message: notice severity, MSGID "test", marked as a test in its structured data. */
export function testMessage(o: { hostname: string | null; appName: string; procId: string | null }, at: number): string {
  return formatSyslog(
    SYSLOG_FACILITY * 8 + 5,
    { at, hostname: o.hostname, appName: o.appName, procId: o.procId, msgId: 'test' },
    structuredData(SD_ID, [['test', 'true']]),
    'Evolve Studio syslog test message',
  );
}

/** RFC 6587 §3.4.1 octet counting: "MSG-LEN SP SYSLOG-MSG", the length in bytes of the UTF-8 message. */
export function octetFrame(msg: string): Buffer {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Splits a receiver's byte stream into messages (tests and the receiver use it); returns the unread rest. */
export function readOctetFrames(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let off = 0;
  for (;;) {
    const sp = buf.indexOf(0x20, off);
    if (sp < 0) break;
    const lenText = buf.subarray(off, sp).toString('ascii');
    if (!/^[1-9][0-9]{0,8}$/.test(lenText)) throw new Error(`bad octet count "${lenText}"`);
    const len = Number(lenText);
    if (buf.length < sp + 1 + len) break;
    messages.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    off = sp + 1 + len;
  }
  return { messages, rest: buf.subarray(off) };
}
