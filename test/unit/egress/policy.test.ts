// Egress policy decisions: destination syntax, loopback by address, per-feature allow-lists with ports and wildcards,
// and the guard's lookup keeping only the addresses the policy allows.
import type dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../common/contracts/settings';
import {
  EgressGuard,
  isLoopbackAddress,
  parseDestination,
  processEgressGuard,
  refusalReason,
  type EgressPolicy,
} from '../../../main/platform/egress';

describe('egress policy', () => {
  it('parses destinations and rejects what is not one', () => {
    expect(parseDestination('Ray.Lab:8265')).toEqual({ host: 'ray.lab', port: 8265, subdomains: false });
    expect(parseDestination('huggingface.co')).toEqual({ host: 'huggingface.co', port: null, subdomains: false });
    expect(parseDestination('*.hf.co')).toEqual({ host: 'hf.co', port: null, subdomains: true });
    expect(parseDestination('[2001:db8::1]:443')).toEqual({ host: '2001:db8::1', port: 443, subdomains: false });
    expect(parseDestination('10.0.0.5')).toEqual({ host: '10.0.0.5', port: null, subdomains: false });
    for (const bad of ['', 'http://x', 'a b', 'x:0', 'x:70000', 'user@host', '*.10.0.0.1', 'a*b.com', '-x.com'])
      expect(parseDestination(bad), bad).toBeNull();
  });

  it('decides loopback by address, not by name', () => {
    for (const a of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', 'localhost', '128.0.0.1']) expect(isLoopbackAddress(a), a).toBe(false);
  });

  it('refuses per feature, honours ports and wildcards, and names the feature and the setting', () => {
    const p: EgressPolicy = { offlineOnly: true, allow: { cluster: ['ray.lab:8265'], 'model-downloads': ['huggingface.co', '*.hf.co'] } };
    const r = (feature: 'cluster' | 'model-downloads' | 'providers', host: string, port: number) =>
      refusalReason(p, { feature, host, port, address: '203.0.113.9' });
    expect(r('cluster', 'ray.lab', 8265)).toBeNull();
    expect(r('cluster', 'ray.lab', 8266)).toMatch(
      /Cluster \(Ray, Prometheus, Alertmanager\) may not connect to ray\.lab:8266 \(203\.0\.113\.9\)/,
    );
    expect(r('providers', 'ray.lab', 8265)).toMatch(/AI providers .*Settings → Privacy → Allowed destinations → AI providers/);
    expect(r('model-downloads', 'huggingface.co', 443)).toBeNull();
    expect(r('model-downloads', 'cas-bridge.xethub.hf.co', 443)).toBeNull();
    expect(r('model-downloads', 'hf.co', 443)).not.toBeNull();
    expect(r('model-downloads', 'evilhuggingface.co', 443)).not.toBeNull();
    expect(refusalReason({ ...p, offlineOnly: false }, { feature: 'cluster', host: 'x', port: 1, address: '203.0.113.9' })).toBeNull();
    expect(refusalReason(p, { feature: 'cluster', host: 'anything', port: 1, address: '127.0.0.1' })).toBeNull();
  });

  it('the lookup keeps only allowed addresses and refuses when none is left', async () => {
    const lookup = (_h: string, _o: dns.LookupAllOptions, cb: (e: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void) =>
      cb(null, [
        { address: '203.0.113.9', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    const g = new EgressGuard(() => ({ offlineOnly: true }), { lookup });
    const run = (all: boolean) =>
      new Promise<unknown>((resolve) => {
        const fn = g.lookupFor('cluster', 80) as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void;
        fn('mixed.example', { all }, (...args) => resolve(args));
      });
    expect(await run(true)).toEqual([null, [{ address: '127.0.0.1', family: 4 }]]);
    expect(await run(false)).toEqual([null, '127.0.0.1', 4]);
    const remoteOnly = new EgressGuard(() => ({ offlineOnly: true }), {
      lookup: (_h, _o, cb) => cb(null, [{ address: '203.0.113.9', family: 4 }]),
    });
    const fn = remoteOnly.lookupFor('cluster', 80) as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void;
    const [err] = await new Promise<unknown[]>((resolve) => fn('remote.example', { all: true }, (...a) => resolve(a)));
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect(remoteOnly.recentBlocked()[0]).toMatchObject({ feature: 'cluster', host: 'remote.example' });
  });

  it('is offline-only with nothing allowed by default (process guard before settings; default settings)', () => {
    expect(processEgressGuard().offlineOnly).toBe(true);
    expect(() => processEgressGuard().assertConnect('model-downloads', 'huggingface.co', 443, '203.0.113.9')).toThrow(/Model downloads/);
    expect(DEFAULT_SETTINGS.egressAllow).toEqual({ providers: [], 'model-downloads': [], cluster: [], notifications: [], syslog: [] });
    expect(SettingsSchema.shape.egressAllow.safeParse({ ...DEFAULT_SETTINGS.egressAllow, cluster: ['http://x'] }).success).toBe(false);
  });
});
