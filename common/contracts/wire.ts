// Messages on the wire between a client (preload port / browser WebSocket) and main. One shape for both
// transports, so the stream semantics (events, acks for backpressure, cancel, final result) are identical.
import { z } from 'zod';
import { ErrorInfoSchema } from '../errors';

const Id = z.number().int().nonnegative();

export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: Id, channel: z.string().max(200), input: z.unknown() }),
  z.object({ t: z.literal('open'), id: Id, channel: z.string().max(200), input: z.unknown() }),
  /** The client has consumed `n` more events of stream `id` (credit-based flow control). */
  z.object({ t: z.literal('ack'), id: Id, n: z.number().int().positive().max(1_000_000) }),
  z.object({ t: z.literal('cancel'), id: Id }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

const WireResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfoSchema }),
]);

export const ServerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: Id, result: WireResultSchema }),
  z.object({ t: z.literal('event'), id: Id, event: z.unknown() }),
  z.object({ t: z.literal('end'), id: Id, result: WireResultSchema }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** How many events a server may send ahead of the client's acks before `emit` waits. */
export const STREAM_WINDOW = 64;
/** The client acks after consuming this many events. */
export const STREAM_ACK_EVERY = 16;
