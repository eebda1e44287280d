// Security events through the real app services: audit rows → securityEvents.list/export over the dispatcher, egress
// refusals audited, syslog settings audited and new security rows forwarded to a local receiver.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEgressGuard } from '../../../main/platform/egress';
import { readOctetFrames } from '../../../main/services/security/syslog/rfc5424';
import { startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
const ctx = () => ({ transport: 'host' as const, signal: new AbortController().signal });
const call = async (verb: string, input: unknown) => {
  const r = await t.dispatcher.call(`evolve:securityEvents.${verb}`, input, ctx());
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as never;
};

beforeAll(async () => {
  t = await startTempServices();
  const audit = t.services.store.audit;
  await audit.record({ kind: 'unlock', data: { method: 'passphrase', ok: false } });
  await audit.record({ kind: 'unlock', data: { method: 'passphrase', ok: true } });
  await audit.providerSend({ provider: 'openai', model: 'gpt', payload: 'x', redactions: { 'aws-key': 1 } });
  await audit.record({
    kind: 'api.request.denied',
    data: { status: 403, reason: 'scope', method: 'POST', route: '/v1/embeddings', remote: '127.0.0.1', tokenName: '=evil', suppressed: 0 },
  });
}, 60_000);
afterAll(async () => t?.cleanup());

describe('securityEvents over the app', () => {
  it('lists classified events newest first, filters them, and exports CSV with the formula guard', async () => {
    const all: { category: string; seq: number }[] = await call('list', {});
    expect(all.map((e) => e.category)).toEqual(['token-misuse', 'redaction', 'unlock-failure']);
    expect(all[0]!.seq).toBeGreaterThan(all[1]!.seq);
    expect(await call('list', { categories: ['redaction'] })).toHaveLength(1);
    expect(await call('list', { minSeverity: 'medium' })).toHaveLength(2);
    expect(await call('list', { text: 'EMBEDDINGS' })).toHaveLength(1);
    expect(await call('list', { since: Date.now() + 60_000 })).toHaveLength(0);

    const out: { path: string; count: number } = await call('export', { format: 'csv', filter: { categories: ['token-misuse'] } });
    expect(out.count).toBe(1);
    const csv = fs.readFileSync(out.path, 'utf8');
    // The token name sits after "token ", so no cell starts with "=" (the guard itself is unit-tested in events-classify).
    expect(csv.split('\r\n')[1]).toMatch(
      /^\d+,[^,]+,medium,token-misuse,api\.request\.denied,token =evil,Local API refused POST \/v1\/embeddings \(403 scope\),/,
    );
    const json: { path: string; count: number } = await call('export', { format: 'json' });
    expect(JSON.parse(fs.readFileSync(json.path, 'utf8'))).toHaveLength(3);
  });

  it('rejects malformed filters as INVALID_ARGUMENT', async () => {
    const r = await t.dispatcher.call('evolve:securityEvents.list', { since: 5, until: 1 }, ctx());
    expect(r.ok ? null : r.error.code).toBe('INVALID_ARGUMENT');
    const bad = await t.dispatcher.call(
      'evolve:securityEvents.syslogSet',
      { enabled: true, host: '', port: 514, tls: false, caPem: '', appName: 'a' },
      ctx(),
    );
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_ARGUMENT');
  });

  it('audits egress refusals as security events', async () => {
    expect(() => processEgressGuard().assertConnect('cluster', 'ray.example', 8265, '10.9.8.7')).toThrow(/Offline-only/);
    await new Promise((r) => setTimeout(r, 200));
    const ev: { category: string; summary: string }[] = await call('list', { categories: ['egress-refused'] });
    expect(ev[0]?.summary).toContain('ray.example');
  });

  it('saves syslog settings (audited) and forwards new security rows to the receiver', async () => {
    const messages: string[] = [];
    const server = net.createServer((s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        const r = readOctetFrames(Buffer.concat([buf, d]));
        messages.push(...r.messages);
        buf = Buffer.from(r.rest);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const settings = { enabled: true, host: '127.0.0.1', port, tls: false, caPem: '', appName: 'evolve-test' };
      expect(await call('syslogSet', settings)).toEqual(settings);
      expect(await call('syslogGet', {})).toEqual(settings);
      const changes = await t.services.store.client.call('audit.list', { kinds: ['settings.change'], limit: 100 });
      expect(changes.some((c) => (c.data as { key?: string }).key === 'security.syslog')).toBe(true);

      // History is not replayed; a new failed unlock is forwarded by the audit cursor.
      await t.services.store.audit.record({ kind: 'unlock', data: { method: 'recovery-key', ok: false } });
      const end = Date.now() + 8000;
      while (messages.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^<84>1 \S+ \S+ evolve-test \d+ unlock-failure \[evolve@32473 seq="\d+" kind="unlock"/);
      expect(await call('syslogStatus', {})).toMatchObject({ enabled: true, connected: true, sent: 1, dropped: 0 });
    } finally {
      await call('syslogSet', { enabled: false, host: '', port: 6514, tls: true, caPem: '', appName: 'evolve-studio' });
      server.close();
    }
  }, 20_000);
});
