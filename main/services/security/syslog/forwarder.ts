// Forwards security events to a syslog receiver over TCP or TLS (RFC 5425) through the egress guard: bounded queue,
// reconnect with exponential backoff, drops counted. TLS verification is always on; a private CA can be added.
import type { Socket } from 'node:net';
import os from 'node:os';
import type { SecurityEvent, SyslogStatus } from '../../../../common/contracts/security-events';
import { EvolveError, toErrorInfo } from '../../../../common/errors';
import type { EgressGuard } from '../../../platform/egress';
import { guardedStream } from '../../../platform/egress/tls-socket';
import { formatSecurityEvent, octetFrame, testMessage } from './rfc5424';

export interface SyslogTarget {
  host: string;
  port: number;
  tls: boolean;
  /** PEM of a private CA; empty = the system's roots. */
  caPem: string;
  appName: string;
}

export interface SyslogForwarderOptions {
  guard: EgressGuard;
  /** Frames held while the receiver is unreachable; past it the oldest are dropped and counted. */
  maxQueue?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  connectTimeoutMs?: number;
  hostname?: string;
  now?: () => number;
  onError?: (message: string) => void;
}

export class SyslogForwarder {
  private target: SyslogTarget | null = null;
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  private readonly queue: Buffer[] = [];
  private sent = 0;
  private dropped = 0;
  private failures = 0;
  private lastError: string | null = null;
  private retryAt: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private generation = 0;
  private readonly maxQueue: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly now: () => number;

  constructor(private readonly o: SyslogForwarderOptions) {
    this.maxQueue = o.maxQueue ?? 1000;
    this.backoffBaseMs = o.backoffBaseMs ?? 1000;
    this.backoffMaxMs = o.backoffMaxMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  /** New settings (null = off): drops the connection; queued events go to the new target. */
  configure(target: SyslogTarget | null): void {
    this.generation += 1;
    this.target = target;
    this.failures = 0;
    this.retryAt = null;
    this.lastError = null;
    this.clearRetry();
    this.disconnect();
    if (!target) this.queue.length = 0;
    else this.pump();
  }

  enqueue(e: SecurityEvent): void {
    if (!this.target) return;
    this.push(this.frame(e, this.target));
    this.pump();
  }

  /** Connects now (no backoff) and writes one test message; resolves with its frame size once the socket took it. */
  async sendTest(): Promise<number> {
    const target = this.target;
    if (!target) throw new EvolveError('CONFLICT', 'Syslog forwarding is off: turn it on and save first');
    this.clearRetry();
    const socket = await this.connect();
    const frame = octetFrame(testMessage({ hostname: this.hostname(), appName: target.appName, procId: String(process.pid) }, this.now()));
    await new Promise<void>((resolve, reject) => socket.write(frame, (err) => (err ? reject(err) : resolve())));
    this.sent += 1;
    return frame.length;
  }

  status(): SyslogStatus {
    return {
      enabled: this.target !== null,
      connected: this.socket !== null,
      queued: this.queue.length,
      sent: this.sent,
      dropped: this.dropped,
      lastError: this.lastError,
      retryAt: this.socket ? null : this.retryAt,
    };
  }

  close(): void {
    this.configure(null);
  }

  private frame(e: SecurityEvent, t: SyslogTarget): Buffer {
    return octetFrame(formatSecurityEvent(e, { hostname: this.hostname(), appName: t.appName, procId: String(process.pid) }));
  }

  private hostname(): string {
    return this.o.hostname ?? os.hostname();
  }

  private push(frame: Buffer): void {
    this.queue.push(frame);
    while (this.queue.length > this.maxQueue) {
      this.queue.shift();
      this.dropped += 1;
    }
  }

  /** Writes what is queued when connected; otherwise starts a connection unless a retry is already scheduled. */
  private pump(): void {
    if (!this.target || this.queue.length === 0) return;
    const s = this.socket;
    if (s) {
      while (this.queue.length > 0) {
        const frame = this.queue.shift() as Buffer;
        s.write(frame);
        this.sent += 1;
      }
      return;
    }
    if (this.connecting || this.retryTimer) return;
    this.connect().then(
      () => this.pump(),
      () => undefined,
    );
  }

  private connect(): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    const target = this.target;
    if (!target) return Promise.reject(new EvolveError('CONFLICT', 'Syslog forwarding is off'));
    const gen = this.generation;
    const p = this.open(target).then(
      (s) => {
        this.connecting = null;
        if (gen !== this.generation) {
          s.destroy();
          throw new EvolveError('CANCELLED', 'Syslog settings changed while connecting');
        }
        this.socket = s;
        this.failures = 0;
        this.retryAt = null;
        this.lastError = null;
        s.on('error', (err) => this.lost(gen, err));
        s.on('close', () => this.lost(gen, new Error('the receiver closed the connection')));
        // A receiver never sends on RFC 5425/6587 streams; reading keeps a half-closed socket noticed.
        s.on('data', () => undefined);
        return s;
      },
      (err: unknown) => {
        this.connecting = null;
        if (gen === this.generation) this.scheduleRetry(err);
        throw err;
      },
    );
    this.connecting = p;
    return p;
  }

  private open(t: SyslogTarget): Promise<Socket> {
    // The guard refuses the host under offline-only unless the user allowed it for "syslog"; TLS verification stays on.
    return guardedStream(this.o.guard, 'syslog', t.host, t.port, {
      tls: t.tls,
      caPem: t.caPem || undefined,
      timeoutMs: this.o.connectTimeoutMs ?? 10_000,
    });
  }

  private lost(gen: number, err: unknown): void {
    if (gen !== this.generation || !this.socket) return;
    this.socket.destroy();
    this.socket = null;
    this.scheduleRetry(err);
  }

  private scheduleRetry(err: unknown): void {
    this.failures += 1;
    this.lastError = toErrorInfo(err).message.slice(0, 1000);
    const delay = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.min(this.failures - 1, 16));
    this.retryAt = this.now() + delay;
    this.o.onError?.(this.lastError);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private disconnect(): void {
    const s = this.socket;
    this.socket = null;
    s?.destroy();
  }
}
