// The ONE place that decides whether a provider call may leave this machine (offline-only policy); every cloud SDK's fetch goes through it.
import { EvolveError } from '../../../common/errors';
import type { ProviderKind } from '../../../common/providers/types';

export interface EgressPolicy {
  /** When true nothing may leave the machine: cloud kinds are refused and only loopback hosts are reachable. */
  offlineOnly: boolean;
}

export interface EgressTarget {
  providerId: string;
  kind: ProviderKind;
  /** The URL about to be fetched; absent for a pre-flight check of the provider as a whole. */
  url?: string;
}

export interface BlockedEgress {
  providerId: string;
  kind: ProviderKind;
  host: string | null;
  reason: string;
  at: number;
}

/** Vendors whose API is always a remote service, even when a test points them at a loopback fixture. */
const CLOUD_KINDS: ReadonlySet<ProviderKind> = new Set(['openai', 'anthropic', 'huggingface']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  // IPv4-mapped loopback (::ffff:127.0.0.1)
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
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

export class EgressGuard {
  private readonly blocked: BlockedEgress[] = [];
  private readonly listeners = new Set<(b: BlockedEgress) => void>();

  constructor(private readonly getPolicy: () => EgressPolicy) {}

  get offlineOnly(): boolean {
    return this.getPolicy().offlineOnly;
  }

  /** Returns why the target is refused, or null when it may proceed. Pure: used by the router for its explanation. */
  explain(target: EgressTarget): string | null {
    if (!this.getPolicy().offlineOnly) return null;
    if (CLOUD_KINDS.has(target.kind)) {
      return `Offline-only mode is on: "${target.providerId}" is a cloud provider (${target.kind}), so nothing is sent to it.`;
    }
    if (target.url !== undefined) {
      let host: string;
      try {
        host = new URL(target.url).hostname;
      } catch {
        return `Offline-only mode is on: "${target.url}" is not a valid URL.`;
      }
      if (!isLoopbackHost(host)) {
        return `Offline-only mode is on: "${target.providerId}" would connect to ${host}, which is not this machine.`;
      }
    }
    return null;
  }

  /** Throws FORBIDDEN (and records the attempt) when the policy refuses the target. */
  check(target: EgressTarget): void {
    const reason = this.explain(target);
    if (reason === null) return;
    let host: string | null = null;
    if (target.url !== undefined) {
      try {
        host = new URL(target.url).hostname;
      } catch {
        host = null;
      }
    }
    const entry: BlockedEgress = { providerId: target.providerId, kind: target.kind, host, reason, at: Date.now() };
    this.blocked.push(entry);
    if (this.blocked.length > 100) this.blocked.shift();
    for (const l of this.listeners) l(entry);
    throw new EvolveError('FORBIDDEN', reason, { policy: 'offline-only', providerId: target.providerId, host });
  }

  onBlocked(listener: (b: BlockedEgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recentBlocked(): readonly BlockedEgress[] {
    return [...this.blocked];
  }

  /** A fetch for SDKs (openai, anthropic, huggingface) that checks every URL before any socket is opened. */
  fetchFor(providerId: string, kind: ProviderKind, inner: typeof fetch = globalThis.fetch): typeof fetch {
    const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      this.check({ providerId, kind, url });
      return inner(input, init);
    };
    return guarded as typeof fetch;
  }
}
