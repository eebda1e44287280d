// Builds the typed `evolve.<domain>.<verb>` API from the contract list over any transport, and validates
// every result against the contract before the page sees it (a bad or hostile peer gets a typed error).
import type { z } from 'zod';
import type { Domain, EvolveApi, StreamHandle } from '../contracts';
import { DOMAINS, channelName } from '../contracts';
import { err, type Result } from '../result';

export interface OpenedStream {
  result: Promise<Result<unknown>>;
  cancel(): void;
}

/** The two things a transport must do; everything else (naming, typing, validation) lives here. */
export interface ClientTransport {
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  openStream(channel: string, input: unknown, onEvent: (event: unknown) => void): OpenedStream;
}

function checkResult(schema: z.ZodType, r: Result<unknown>, channel: string): Result<unknown> {
  if (!r.ok) return r;
  const parsed = schema.safeParse(r.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : err({ code: 'INTERNAL', message: `Malformed result from ${channel}`, details: parsed.error.issues.slice(0, 5) });
}

function domainClient(domain: Domain, transport: ClientTransport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [verb, spec] of Object.entries(domain.methods)) {
    const channel = channelName(domain.name, verb);
    if (spec.kind === 'call') {
      out[verb] = async (input: unknown) => checkResult(spec.output, await transport.call(channel, input), channel);
    } else {
      out[verb] = (input: unknown, onEvent: (e: unknown) => void): StreamHandle<unknown, unknown> => {
        const opened = transport.openStream(channel, input, (raw) => {
          const parsed = spec.event.safeParse(raw);
          // A malformed event is dropped rather than handed to UI code that trusts the type.
          if (parsed.success) onEvent(parsed.data);
        });
        return { result: opened.result.then((r) => checkResult(spec.output, r, channel)), cancel: () => opened.cancel() };
      };
    }
  }
  return out;
}

/** Creates the full API object (`window.evolve` shape) over `transport`. */
export function createClient(transport: ClientTransport, domains: readonly Domain[] = DOMAINS): EvolveApi {
  const api: Record<string, unknown> = {};
  for (const d of domains) api[d.name] = domainClient(d, transport);
  return api as EvolveApi;
}
