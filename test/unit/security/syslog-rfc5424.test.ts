// RFC 5424 formatting golden lines (header, NILVALUE, SD escaping, BOM rules) and RFC 6587 octet-counting frames.
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../common/contracts/security-events';
import {
  BOM,
  escapeParamValue,
  formatSecurityEvent,
  formatSyslog,
  octetFrame,
  readOctetFrames,
  structuredData,
} from '../../../main/services/security/syslog/rfc5424';

const AT = Date.UTC(2026, 11, 2, 15, 4, 5, 123);

describe('RFC 5424 formatting', () => {
  it('escapes \\ " and ] in SD-PARAM values, and only those', () => {
    expect(escapeParamValue('a\\b"c]d[e=f')).toBe('a\\\\b\\"c\\]d[e=f');
    expect(structuredData('x@32473', [['k', 'v"]\\']])).toBe('[x@32473 k="v\\"\\]\\\\"]');
  });

  it('uses NILVALUE for missing header fields and empty structured data, and omits an empty MSG', () => {
    expect(formatSyslog(85, { at: null, hostname: null, appName: null, procId: null, msgId: null }, structuredData('x@1', []), '')).toBe(
      '<85>1 - - - - - -',
    );
    // Non-printable or empty header values collapse to NILVALUE; spaces never reach the header.
    expect(formatSyslog(85, { at: AT, hostname: 'my host', appName: '', procId: '42', msgId: 'a b' }, '-', 'x')).toBe(
      '<85>1 2026-12-02T15:04:05.123Z myhost - 42 ab - x',
    );
  });

  it('puts the BOM before a UTF-8 MSG and none before a pure ASCII one', () => {
    const h = { at: AT, hostname: 'h', appName: 'a', procId: '1', msgId: 'm' };
    expect(formatSyslog(86, h, '-', 'plain ascii')).toBe('<86>1 2026-12-02T15:04:05.123Z h a 1 m - plain ascii');
    expect(formatSyslog(86, h, '-', 'Zugriff verweigert: Müller')).toBe(
      `<86>1 2026-12-02T15:04:05.123Z h a 1 m - ${BOM}Zugriff verweigert: Müller`,
    );
  });

  it('formats a security event: PRI from authpriv + severity, category as MSGID, every field as an SD-PARAM', () => {
    const e: SecurityEvent = {
      seq: 12,
      kind: 'api.request.denied',
      at: AT,
      severity: 'medium',
      category: 'token-misuse',
      summary: 'Local API refused "x" ]',
      actor: 'token ci\\prod',
      details: { status: 401, route: '/v1/chat]' },
    };
    expect(formatSecurityEvent(e, { hostname: 'ws1', appName: 'evolve-studio', procId: '4242' })).toBe(
      '<84>1 2026-12-02T15:04:05.123Z ws1 evolve-studio 4242 token-misuse ' +
        '[evolve@32473 seq="12" kind="api.request.denied" category="token-misuse" severity="medium" actor="token ci\\\\prod" ' +
        'summary="Local API refused \\"x\\" \\]" d.status="401" d.route="/v1/chat\\]"] Local API refused "x" ]',
    );
  });
});

describe('RFC 6587 octet counting', () => {
  it('counts bytes, not characters, and a reader splits a stream of frames back', () => {
    const msg = `<86>1 - - - - - - ${BOM}é`;
    const frame = octetFrame(msg);
    expect(frame.toString('utf8')).toBe(`${Buffer.byteLength(msg)} ${msg}`);
    expect(Buffer.byteLength(msg)).toBe(msg.length + 3); // BOM is 3 bytes, é is 2 bytes, each 1 char
    const stream = Buffer.concat([frame, octetFrame('<85>1 - - - - - -'), Buffer.from('17 <85>1')]);
    const { messages, rest } = readOctetFrames(stream);
    expect(messages).toEqual([msg, '<85>1 - - - - - -']);
    expect(rest.toString()).toBe('17 <85>1');
    expect(() => readOctetFrames(Buffer.from('x1 abc'))).toThrow(/octet count/);
  });
});
