// Serves one client connection that speaks the wire protocol (the browser host's WebSocket): routes calls
// and streams to the dispatcher, applies per-stream credits, cancels everything when the client goes away.
import { ClientMessageSchema, type ServerMessage } from '../../common/contracts/wire';
import { err, type Result } from '../../common/result';
import type { Dispatcher } from './dispatcher';
import type { HandlerContext } from './handlers';
import { StreamCredits } from './stream-credits';

const MAX_OPEN_PER_SESSION = 256;

interface Open {
  ac: AbortController;
  credits?: StreamCredits;
}

export class WireSession {
  private readonly open = new Map<number, Open>();
  private closed = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly send: (msg: ServerMessage) => void,
    private readonly transport: HandlerContext['transport'] = 'host',
  ) {}

  get openCount(): number {
    return this.open.size;
  }

  /** Handles one decoded message from the client. Malformed messages get a typed error when they carry an id. */
  receive(raw: unknown): void {
    if (this.closed) return;
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && !this.open.has(id)) {
        this.send({ t: 'result', id, result: err({ code: 'INVALID_ARGUMENT', message: 'Malformed message' }) });
      }
      return;
    }
    const msg = parsed.data;
    switch (msg.t) {
      case 'ack':
        this.open.get(msg.id)?.credits?.grant(msg.n);
        return;
      case 'cancel': {
        const o = this.open.get(msg.id);
        o?.credits?.cancel();
        o?.ac.abort();
        return;
      }
      case 'call':
      case 'open':
        return this.start(msg.t, msg.id, msg.channel, msg.input);
    }
  }

  private start(t: 'call' | 'open', id: number, channel: string, input: unknown): void {
    const reply = t === 'call' ? 'result' : 'end';
    if (this.open.has(id)) {
      this.send({ t: reply, id, result: err({ code: 'CONFLICT', message: `Request id ${id} is already in use` }) });
      return;
    }
    if (this.open.size >= MAX_OPEN_PER_SESSION) {
      this.send({ t: reply, id, result: err({ code: 'RESOURCE_EXHAUSTED', message: 'Too many open requests' }) });
      return;
    }
    const ac = new AbortController();
    const ctx: HandlerContext = { transport: this.transport, signal: ac.signal };
    if (t === 'call') {
      this.open.set(id, { ac });
      void this.dispatcher.call(channel, input, ctx).then((result) => this.finish(id, 'result', result));
      return;
    }
    const credits = new StreamCredits();
    this.open.set(id, { ac, credits });
    void this.dispatcher
      .stream(channel, input, ctx, async (event) => {
        await credits.take();
        if (!this.closed) this.send({ t: 'event', id, event });
      })
      .then((result) => this.finish(id, 'end', result));
  }

  private finish(id: number, t: 'result' | 'end', result: Result<unknown>): void {
    this.open.delete(id);
    if (!this.closed) this.send({ t, id, result });
  }

  /** The client went away: cancel every open call and stream. */
  close(): void {
    this.closed = true;
    for (const o of this.open.values()) {
      o.credits?.cancel();
      o.ac.abort();
    }
    this.open.clear();
  }
}
