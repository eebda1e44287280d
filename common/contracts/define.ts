// Building blocks for contracts: a domain is a named set of calls and streams, each with zod schemas
// for its input, its events and its result. Preload, the host client and main's handlers are all
// derived from these definitions, so a channel exists in exactly one place.
import type { z } from 'zod';

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
  readonly doc: string;
}

export interface StreamSpec<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly input: I;
  /** Schema of each event pushed while the stream is open (tokens, progress, log lines). */
  readonly event: E;
  /** Schema of the final result when the stream ends. */
  readonly output: O;
  readonly doc: string;
}

export type MethodSpec = CallSpec | StreamSpec;

export interface Domain<N extends string = string, M extends Record<string, MethodSpec> = Record<string, MethodSpec>> {
  readonly name: N;
  readonly methods: M;
}

export const call = <I extends z.ZodType, O extends z.ZodType>(spec: { input: I; output: O; doc: string }): CallSpec<I, O> => ({
  kind: 'call',
  ...spec,
});

export const stream = <I extends z.ZodType, E extends z.ZodType, O extends z.ZodType>(spec: {
  input: I;
  event: E;
  output: O;
  doc: string;
}): StreamSpec<I, E, O> => ({ kind: 'stream', ...spec });

export const defineDomain = <N extends string, M extends Record<string, MethodSpec>>(name: N, methods: M): Domain<N, M> => ({
  name,
  methods,
});

/** `evolve:<domain>.<verb>` — the one naming scheme for every channel (VS Code's `vscode:` prefix). */
export const channelName = (domain: string, verb: string): string => `evolve:${domain}.${verb}`;

/** The Electron channel that carries stream openings (a MessagePort travels with each). */
export const STREAM_OPEN_CHANNEL = 'evolve:stream.open';

export interface ChannelEntry {
  channel: string;
  domain: string;
  verb: string;
  spec: MethodSpec;
}

/** Flattens domains into their channel list (used by main to register, by tests to fuzz). */
export function listChannels(domains: readonly Domain[]): ChannelEntry[] {
  return domains.flatMap((d) =>
    Object.entries(d.methods).map(([verb, spec]) => ({ channel: channelName(d.name, verb), domain: d.name, verb, spec })),
  );
}
