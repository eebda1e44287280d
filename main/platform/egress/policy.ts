// The egress policy: which features may open connections to which destinations. Pure decisions, no sockets.
import net from 'node:net';
import { EGRESS_FEATURE_LABELS, EGRESS_FEATURES } from '../../../common/contracts/settings';

export { EGRESS_FEATURES };
export type EgressFeature = (typeof EGRESS_FEATURES)[number];

export const FEATURE_LABELS: Record<EgressFeature, string> = EGRESS_FEATURE_LABELS;

export interface EgressPolicy {
  /** When true nothing leaves the machine: only loopback addresses, plus the destinations the user allowed per feature. */
  offlineOnly: boolean;
  /** Per feature, destinations the user allowed while offline-only is on: "host" or "host:port" ("[v6]:port"). */
  allow?: Partial<Record<EgressFeature, readonly string[]>>;
}

export interface Destination {
  host: string;
  port: number | null;
  /** "*.example.com": any subdomain of host (not host itself). */
  subdomains: boolean;
}

/** "ray.example:8265", "huggingface.co", "[2001:db8::1]:443", "10.0.0.5" → host (lower case) and port; null when malformed. */
export function parseDestination(text: string): Destination | null {
  let s = text.trim().toLowerCase();
  const subdomains = s.startsWith('*.');
  if (subdomains) s = s.slice(2);
  if (!s || /[\s/@?#*]/.test(s)) return null;
  let host = s;
  let port: number | null = null;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] as string;
    port = bracketed[2] !== undefined ? Number(bracketed[2]) : null;
  } else if (net.isIPv6(s)) {
    host = s;
  } else {
    const m = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(s);
    if (!m) return null;
    host = m[1] as string;
    port = m[2] !== undefined ? Number(m[2]) : null;
  }
  if (port !== null && (port < 1 || port > 65535)) return null;
  if (!net.isIP(host) && !/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*\.?$/.test(host)) return null;
  if (subdomains && net.isIP(host)) return null;
  return { host: host.replace(/\.$/, ''), port, subdomains };
}

/** Loopback by address (what a socket really reaches), never by name: 127.0.0.0/8, ::1, ::ffff:127.x.y.z. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(a)) return a.startsWith('127.');
  if (!net.isIPv6(a)) return false;
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped !== null && (mapped[1] as string).startsWith('127.');
}

/** Whether `host:port` is on the feature's allow-list (a list entry without a port allows every port). */
export function isAllowedDestination(policy: EgressPolicy, feature: EgressFeature, host: string, port: number | null): boolean {
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  for (const entry of policy.allow?.[feature] ?? []) {
    const d = parseDestination(entry);
    if (!d || (d.port !== null && d.port !== port)) continue;
    if (d.subdomains ? h.endsWith(`.${d.host}`) : d.host === h) return true;
  }
  return false;
}

export interface ConnectAttempt {
  feature: EgressFeature;
  /** The name the caller asked for (a host name or an address literal). */
  host: string;
  port: number | null;
  /** The address the socket would connect to, after DNS. */
  address: string;
}

/**
 * Why a connection is refused, or null when it may proceed. The resolved address decides what is local (a name that
 * resolves to loopback stays on the machine; "localhost.example" resolving elsewhere does not).
 */
export function refusalReason(
  policy: EgressPolicy,
  a: ConnectAttempt,
  isLocal: (address: string) => boolean = isLoopbackAddress,
): string | null {
  if (!policy.offlineOnly) return null;
  if (isLocal(a.address)) return null;
  if (isAllowedDestination(policy, a.feature, a.host, a.port)) return null;
  const label = FEATURE_LABELS[a.feature];
  const where = `${a.host}${a.port !== null ? `:${a.port}` : ''}`;
  const resolved = a.address !== a.host.replace(/^\[|\]$/g, '') ? ` (${a.address})` : '';
  return (
    `Offline-only mode is on: ${label} may not connect to ${where}${resolved}, which is not this machine. ` +
    `To allow it, add "${where}" under Settings → Privacy → Allowed destinations → ${label}, or turn off "Offline only".`
  );
}
