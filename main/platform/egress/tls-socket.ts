// A connected TLS socket through the egress guard (syslog over TLS, RFC 5425): the TCP socket comes from guardedSocket,
// then TLS with verification always on; a private CA is added to the system roots (as the other clients do), never instead.
import net from 'node:net';
import tls from 'node:tls';
import { EvolveError } from '../../../common/errors';
import type { EgressGuard } from './guard';
import type { EgressFeature } from './policy';
import { guardedSocket } from './transports';

export interface GuardedTlsOptions {
  /** PEM of the CA that signed the server's certificate (added to the system's roots); absent = the system's roots. */
  caPem?: string;
  timeoutMs: number;
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT|HOSTNAME|IP_MISMATCH/;

/** Plain TCP (tls: false) or TLS to host:port; the guard decides first, on the resolved address. */
export async function guardedStream(
  guard: EgressGuard,
  feature: EgressFeature,
  host: string,
  port: number,
  o: GuardedTlsOptions & { tls: boolean },
): Promise<net.Socket> {
  const raw = await guardedSocket(guard, feature, host, port, o.timeoutMs);
  if (!o.tls) return raw;
  return new Promise<net.Socket>((resolve, reject) => {
    const s = tls.connect({
      socket: raw,
      host,
      ...(net.isIP(host) ? {} : { servername: host }),
      // Node's `ca` replaces the default roots: keep them and add the user's CA.
      ...(o.caPem ? { ca: [...tls.rootCertificates, o.caPem] } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new EvolveError('TIMEOUT', `TLS handshake with ${host}:${port} took longer than ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const onError = (e: Error) => {
      clearTimeout(timer);
      raw.destroy();
      const code = (e as { code?: string }).code ?? '';
      reject(
        CERT_CODES.test(code)
          ? new EvolveError(
              'UNAVAILABLE',
              `The certificate of ${host}:${port} was refused (${code}): add the CA that signed it to this connection's settings`,
              { code },
            )
          : e,
      );
    };
    s.once('error', onError);
    s.once('secureConnect', () => {
      clearTimeout(timer);
      s.removeListener('error', onError);
      resolve(s);
    });
  });
}
