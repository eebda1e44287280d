// The network clients the features use, built here so that nothing outside this module imports node:http(s), ws or
// nodemailer to reach out: an http(s) request, a WebSocket and an SMTP transport, each on the guarded transports.
import http from 'node:http';
import https from 'node:https';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import WebSocket from 'ws';
import type { EgressGuard } from './guard';
import type { EgressFeature } from './policy';
import { guardedAgent, guardedSocket, type TlsClientOptions } from './transports';

export type EgressRequestOptions = Omit<https.RequestOptions, 'agent' | 'lookup' | 'createConnection'> & { tls?: TlsClientOptions };

/** node:http(s).request on a guarded agent (TLS settings, when given, live on the agent). */
export function egressRequest(
  guard: EgressGuard,
  feature: EgressFeature,
  url: URL,
  options: EgressRequestOptions,
  onResponse?: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const secure = url.protocol === 'https:';
  const { tls, ...rest } = options;
  const agent = guardedAgent(guard, feature, { secure, ...(secure && tls ? { tls } : {}) });
  return (secure ? https : http).request(url, { ...rest, agent }, onResponse);
}

export type EgressWebSocketOptions = Omit<WebSocket.ClientOptions, 'agent' | 'createConnection' | 'lookup'> & { tls?: TlsClientOptions };

/** A `ws` client whose socket is opened by the guarded agent. */
export function egressWebSocket(guard: EgressGuard, feature: EgressFeature, url: URL, options: EgressWebSocketOptions): WebSocket {
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const { tls, ...rest } = options;
  return new WebSocket(url, { ...rest, agent: guardedAgent(guard, feature, { secure, ...(secure && tls ? { tls } : {}) }) });
}

export type EgressSmtpOptions = Omit<SMTPTransport.Options, 'getSocket' | 'connection' | 'socket' | 'proxy'> & {
  host: string;
  port: number;
};

/**
 * A nodemailer SMTP transport that connects through the guard (it upgrades the socket to TLS itself when `secure`).
 * nodemailer is required on the first e-mail, not at startup (it is part of the host's cold start otherwise).
 */
export async function egressMailTransport(
  guard: EgressGuard,
  feature: EgressFeature,
  options: EgressSmtpOptions,
): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
  const timeoutMs = options.connectionTimeout ?? 15_000;
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    ...options,
    getSocket: (_opts, cb) => {
      guardedSocket(guard, feature, options.host, options.port, timeoutMs).then(
        (connection) => cb(null, { connection }),
        (e: Error) => cb(e),
      );
    },
  });
}
