// A ClientTransport over any message pipe that carries the wire protocol (the browser host's WebSocket):
// ids multiplex calls and streams; stream events are acked in batches so the server can apply backpressure.
import { EvolveError } from '../errors';
import { ServerMessageSchema, STREAM_ACK_EVERY, type ClientMessage } from '../contracts/wire';
import { err, type Result } from '../result';
import type { ClientTransport, OpenedStream } from './client';

interface PendingCall {
  resolve(r: Result<unknown>): void;
  onEvent?: (e: unknown) => void;
  unacked: number;
}

export interface MessagePipe {
  send(msg: ClientMessage): void;
  /** Registers the handler for every parsed server message. */
  onMessage(cb: (raw: unknown) => void): void;
  /** Registers the handler for the pipe closing (all pending requests fail with UNAVAILABLE). */
  onClose(cb: (reason: string) => void): void;
}

export class WireClient implements ClientTransport {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private closedReason: string | undefined;

  constructor(private readonly pipe: MessagePipe) {
    pipe.onMessage((raw) => this.receive(raw));
    pipe.onClose((reason) => {
      this.closedReason = reason;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.resolve(err({ code: 'UNAVAILABLE', message: `Connection to the app closed: ${reason}` }));
      }
    });
  }

  private receive(raw: unknown): void {
    const parsed = ServerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.t === 'event') {
      p.onEvent?.(msg.event);
      p.unacked += 1;
      if (p.unacked >= STREAM_ACK_EVERY) {
        this.pipe.send({ t: 'ack', id: msg.id, n: p.unacked });
        p.unacked = 0;
      }
      return;
    }
    this.pending.delete(msg.id);
    p.resolve(msg.result as Result<unknown>);
  }

  private start(t: 'call' | 'open', channel: string, input: unknown, onEvent?: (e: unknown) => void) {
    const id = this.nextId++;
    const result = new Promise<Result<unknown>>((resolve) => {
      if (this.closedReason !== undefined) {
        resolve(err(new EvolveError('UNAVAILABLE', `Connection to the app closed: ${this.closedReason}`).toInfo()));
        return;
      }
      this.pending.set(id, { resolve, onEvent, unacked: 0 });
      this.pipe.send({ t, id, channel, input });
    });
    return { id, result };
  }

  call(channel: string, input: unknown): Promise<Result<unknown>> {
    return this.start('call', channel, input).result;
  }

  openStream(channel: string, input: unknown, onEvent: (event: unknown) => void): OpenedStream {
    const { id, result } = this.start('open', channel, input, onEvent);
    return {
      result,
      cancel: () => {
        if (this.pending.has(id)) this.pipe.send({ t: 'cancel', id });
      },
    };
  }
}

/** Minimal WebSocket surface shared by the browser's WebSocket and the `ws` package. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'message', cb: (e: { data: unknown }) => void): void;
  addEventListener(type: 'close', cb: (e: { code: number; reason: string }) => void): void;
  addEventListener(type: 'open', cb: () => void): void;
  addEventListener(type: 'error', cb: (e: unknown) => void): void;
}

/** Wraps an OPEN WebSocket as a MessagePipe (JSON text frames). */
export function socketPipe(ws: WebSocketLike): MessagePipe {
  return {
    send: (msg) => ws.send(JSON.stringify(msg)),
    onMessage: (cb) =>
      ws.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        try {
          cb(JSON.parse(e.data));
        } catch {
          /* not JSON: ignore, the server never sends that */
        }
      }),
    onClose: (cb) => ws.addEventListener('close', (e) => cb(e.reason || `code ${e.code}`)),
  };
}
