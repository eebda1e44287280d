// The ONE outbound guard: every network client (providers, model downloads, Ray, Prometheus, Alertmanager, Slack, SMTP)
// connects through it. Checks happen where sockets are made, on the address DNS returned, so names cannot bypass them.
import dns, { type LookupAddress } from 'node:dns';
import net from 'node:net';
import { EvolveError } from '../../../common/errors';
import type { ProviderKind } from '../../../common/providers/types';
import { FEATURE_LABELS, isLoopbackAddress, isAllowedDestination, refusalReason, type EgressFeature, type EgressPolicy } from './policy';
import { guardedFetch } from './transports';

export interface BlockedEgress {
  feature: EgressFeature;
  host: string | null;
  reason: string;
  at: number;
  /** Set for provider pre-flight refusals. */
  providerId?: string;
  kind?: ProviderKind;
}

export interface ProviderEgressTarget {
  providerId: string;
  kind: ProviderKind;
  /** The URL about to be fetched; absent for a pre-flight check of the provider as a whole. */
  url?: string;
}

export type LookupFn = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface EgressGuardOptions {
  /**
   * What counts as this machine, by address. Tests narrow it (only 127.0.0.1 is local) so that 127.0.0.2… stand in
   * for outside hosts without any real outside address being dialled.
   */
  isLocalAddress?: (address: string) => boolean;
  /** DNS (tests map made-up names to loopback addresses); default dns.lookup. */
  lookup?: LookupFn;
}

/** Vendors whose API is always a remote service, even when a test points them at a loopback fixture. */
const CLOUD_KINDS: ReadonlySet<ProviderKind> = new Set(['openai', 'anthropic', 'huggingface']);

/** Name-level loopback (for explanations before any DNS): localhost, *.localhost, loopback literals. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  return isLoopbackAddress(h);
}

/** Whether calls to this provider leave the machine: cloud kinds always, others when the base URL is not loopback. */
export function providerLeavesMachine(kind: ProviderKind, baseUrl?: string): boolean {
  if (kind === 'local') return false;
  if (CLOUD_KINDS.has(kind)) return true;
  if (!baseUrl) return true;
  try {
    return !isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return true;
  }
}

const defaultLookup: LookupFn = (hostname, options, callback) => dns.lookup(hostname, options, callback);

export class EgressGuard {
  private readonly blocked: BlockedEgress[] = [];
  private readonly listeners = new Set<(b: BlockedEgress) => void>();
  readonly isLocalAddress: (address: string) => boolean;
  private readonly dnsLookup: LookupFn;
  private providersFetch: typeof fetch | undefined;

  constructor(
    private readonly getPolicy: () => EgressPolicy,
    opts: EgressGuardOptions = {},
  ) {
    this.isLocalAddress = opts.isLocalAddress ?? isLoopbackAddress;
    this.dnsLookup = opts.lookup ?? defaultLookup;
  }

  get offlineOnly(): boolean {
    return this.getPolicy().offlineOnly;
  }

  policy(): EgressPolicy {
    return this.getPolicy();
  }

  // ——— Socket level: every connection of every feature ———

  /** Throws FORBIDDEN (and records it) unless `feature` may connect to `address` (reached by the name `host`). */
  assertConnect(feature: EgressFeature, host: string, port: number | null, address: string): void {
    const reason = refusalReason(this.getPolicy(), { feature, host, port, address }, this.isLocalAddress);
    if (reason === null) return;
    this.record({ feature, host, reason, at: Date.now() });
    throw new EvolveError('FORBIDDEN', reason, { policy: 'offline-only', feature, host, port, address, setting: 'offlineOnly' });
  }

  /**
   * A `lookup` for net/tls/http agents/undici/ws: resolves, keeps only the addresses the policy allows, and fails with
   * the FORBIDDEN error when none is left. Address literals never reach a lookup: see checkLiteral.
   */
  lookupFor(feature: EgressFeature, port: number | null): net.LookupFunction {
    const lookup = (hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void): void => {
      this.dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, options.all ? [] : undefined);
        let firstRefusal: unknown = null;
        const allowed = addresses.filter((a) => {
          try {
            this.assertConnect(feature, hostname, port, a.address);
            return true;
          } catch (e) {
            firstRefusal ??= e;
            return false;
          }
        });
        if (allowed.length === 0)
          return callback(firstRefusal ?? new EvolveError('UNAVAILABLE', `${hostname} has no address`), options.all ? [] : undefined);
        if (options.all) return callback(null, allowed);
        const first = allowed[0] as LookupAddress;
        return callback(null, first.address, first.family);
      });
    };
    return lookup as unknown as net.LookupFunction;
  }

  /** For address literals (net skips `lookup` for them): the same check, before the socket exists. */
  checkLiteral(feature: EgressFeature, host: string, port: number | null): void {
    const h = host.replace(/^\[|\]$/g, '');
    if (net.isIP(h)) this.assertConnect(feature, host, port, h);
  }

  // ——— Provider pre-flight (the router explains its choices with this before anything is sent) ———

  /** Returns why the provider target is refused, or null when it may proceed. Pure. */
  explain(target: ProviderEgressTarget): string | null {
    const policy = this.getPolicy();
    if (!policy.offlineOnly) return null;
    let host: string | null = null;
    let port: number | null = null;
    if (target.url !== undefined) {
      try {
        const u = new URL(target.url);
        host = u.hostname;
        port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
      } catch {
        return `Offline-only mode is on: "${target.url}" is not a valid URL.`;
      }
    }
    if (host !== null && isAllowedDestination(policy, 'providers', host, port)) return null;
    const label = FEATURE_LABELS.providers;
    const where = host !== null ? `${host}:${port}` : null;
    const howTo = `add ${where ? `"${where}"` : 'its host'} under Settings → Privacy → Allowed destinations → ${label}, or turn off "Offline only".`;
    if (CLOUD_KINDS.has(target.kind)) {
      return `Offline-only mode is on: "${target.providerId}" is a cloud provider (${target.kind}), so nothing is sent to it. To allow it, ${howTo}`;
    }
    if (host !== null && !isLoopbackHost(host)) {
      return `Offline-only mode is on: ${label} ("${target.providerId}") would connect to ${where}, which is not this machine. To allow it, ${howTo}`;
    }
    return null;
  }

  /** Throws FORBIDDEN (and records the attempt) when the policy refuses the provider target. */
  check(target: ProviderEgressTarget): void {
    const reason = this.explain(target);
    if (reason === null) return;
    let host: string | null = null;
    try {
      host = target.url !== undefined ? new URL(target.url).hostname : null;
    } catch {
      host = null;
    }
    this.record({ feature: 'providers', providerId: target.providerId, kind: target.kind, host, reason, at: Date.now() });
    throw new EvolveError('FORBIDDEN', reason, { policy: 'offline-only', feature: 'providers', providerId: target.providerId, host });
  }

  /**
   * A fetch for the cloud SDKs (openai, anthropic, huggingface): the provider pre-flight on every URL, then undici over
   * the guarded dispatcher, so the socket-level check holds even for a URL the pre-flight let through.
   */
  fetchFor(providerId: string, kind: ProviderKind, inner?: typeof fetch): typeof fetch {
    const send = inner ?? (this.providersFetch ??= guardedFetch(this, 'providers'));
    const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      this.check({ providerId, kind, url });
      return send(input, init);
    };
    return guarded as typeof fetch;
  }

  onBlocked(listener: (b: BlockedEgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recentBlocked(): readonly BlockedEgress[] {
    return [...this.blocked];
  }

  private record(entry: BlockedEgress): void {
    this.blocked.push(entry);
    if (this.blocked.length > 100) this.blocked.shift();
    for (const l of this.listeners) l(entry);
  }
}
