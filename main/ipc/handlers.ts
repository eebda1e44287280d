// Types for implementing a contract domain in main: one handler per verb, inputs already parsed.
import type { z } from 'zod';
import type { CallSpec, Domain, MethodSpec, StreamSpec } from '../../common/contracts/define';

export interface HandlerContext {
  /** Which front door the call came through. */
  transport: 'electron' | 'host';
  /** Aborted when the caller cancels (streams) or disconnects. */
  signal: AbortSignal;
}

export interface StreamSink<E> {
  /** Sends one event; resolves when the client has room for more (backpressure). Rejects once cancelled. */
  emit(event: E): Promise<void>;
}

export type CallImpl<S extends CallSpec> = (
  input: z.output<S['input']>,
  ctx: HandlerContext,
) => Promise<z.input<S['output']>> | z.input<S['output']>;

export type StreamImpl<S extends StreamSpec> = (
  input: z.output<S['input']>,
  ctx: HandlerContext,
  sink: StreamSink<z.input<S['event']>>,
) => Promise<z.input<S['output']>>;

export type ImplOf<S extends MethodSpec> = S extends StreamSpec ? StreamImpl<S> : S extends CallSpec ? CallImpl<S> : never;

export type DomainHandlers<D extends Domain> = { [K in keyof D['methods']]: ImplOf<D['methods'][K]> };

export interface ImplementedDomain {
  domain: Domain;
  handlers: Record<string, (...args: never[]) => unknown>;
}

/** Pairs a contract domain with its handlers; the type checker makes sure every verb is implemented. */
export function implement<D extends Domain>(domain: D, handlers: DomainHandlers<D>): ImplementedDomain {
  return { domain, handlers: handlers as unknown as ImplementedDomain['handlers'] };
}
