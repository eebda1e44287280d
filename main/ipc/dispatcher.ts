// The one place every call from the page goes through, whichever transport brought it: the channel is
// looked up, the input parsed with its contract schema, the handler run, and its result (and each stream
// event) parsed against the contract too, so nothing undeclared — no stray field, no secret — leaves main.
import type { z } from 'zod';
import { listChannels, type ChannelEntry } from '../../common/contracts/define';
import { EvolveError, toErrorInfo } from '../../common/errors';
import { err, ok, type Result } from '../../common/result';
import type { HandlerContext, ImplementedDomain } from './handlers';

type Log = (level: 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;

interface Route {
  entry: ChannelEntry;
  handler: (...args: never[]) => unknown;
}

/** Describes schema failures readably: "theme: Invalid option: expected one of …". */
export function describeIssues(error: z.ZodError): { message: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const first = issues[0];
  return { message: first ? `Invalid input at ${first.path}: ${first.message}` : 'Invalid input', issues };
}

export class Dispatcher {
  private readonly routes = new Map<string, Route>();

  constructor(
    implemented: readonly ImplementedDomain[],
    private readonly log: Log = () => {},
  ) {
    for (const impl of implemented) {
      for (const entry of listChannels([impl.domain])) {
        const handler = impl.handlers[entry.verb];
        if (typeof handler !== 'function') throw new Error(`No handler for ${entry.channel}`);
        this.routes.set(entry.channel, { entry, handler });
      }
    }
  }

  channels(): ChannelEntry[] {
    return [...this.routes.values()].map((r) => r.entry);
  }

  kindOf(channel: string): 'call' | 'stream' | undefined {
    return typeof channel === 'string' ? this.routes.get(channel)?.entry.spec.kind : undefined;
  }

  private route(channel: unknown, kind: 'call' | 'stream'): Route {
    const route = typeof channel === 'string' ? this.routes.get(channel) : undefined;
    if (!route) throw new EvolveError('NOT_FOUND', `Unknown channel ${String(channel).slice(0, 100)}`);
    if (route.entry.spec.kind !== kind) {
      throw new EvolveError('INVALID_ARGUMENT', `${route.entry.channel} is a ${route.entry.spec.kind}, not a ${kind}`);
    }
    return route;
  }

  private parseInput(route: Route, raw: unknown): unknown {
    const parsed = route.entry.spec.input.safeParse(raw);
    if (!parsed.success) {
      const { message, issues } = describeIssues(parsed.error);
      throw new EvolveError('INVALID_ARGUMENT', `${route.entry.channel}: ${message}`, { issues });
    }
    return parsed.data;
  }

  private parseOutput(route: Route, schema: z.ZodType, value: unknown, what: string): unknown {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      this.log('error', `${route.entry.channel} produced a malformed ${what}`, parsed.error.issues.slice(0, 5));
      throw new EvolveError('INTERNAL', `${route.entry.channel} produced a malformed ${what}`);
    }
    return parsed.data;
  }

  private fail(channel: unknown, e: unknown): Result<never> {
    const info = toErrorInfo(e);
    if (info.code === 'INTERNAL') this.log('error', `${String(channel)} failed`, e instanceof Error ? e.stack : e);
    return err(info);
  }

  /** Runs a request/response call. Never throws: every failure is a typed error value. */
  async call(channel: unknown, rawInput: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
    try {
      const route = this.route(channel, 'call');
      const input = this.parseInput(route, rawInput);
      const handler = route.handler as (i: unknown, c: HandlerContext) => unknown;
      const value = await handler(input, ctx);
      return ok(this.parseOutput(route, route.entry.spec.output, value, 'result'));
    } catch (e) {
      return this.fail(channel, e);
    }
  }

  /**
   * Runs a stream: `emit` delivers each (validated) event and resolves when the client has room.
   * Resolves with the final result; a cancelled stream resolves with CANCELLED unless its handler returned a
   * final value anyway.
   */
  async stream(
    channel: unknown,
    rawInput: unknown,
    ctx: HandlerContext,
    emit: (event: unknown) => Promise<void>,
  ): Promise<Result<unknown>> {
    try {
      const route = this.route(channel, 'stream');
      const spec = route.entry.spec;
      if (spec.kind !== 'stream') throw new EvolveError('INTERNAL', 'unreachable');
      const input = this.parseInput(route, rawInput);
      const sink = {
        emit: async (event: unknown) => {
          if (ctx.signal.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
          await emit(this.parseOutput(route, spec.event, event, 'event'));
        },
      };
      const handler = route.handler as (i: unknown, c: HandlerContext, s: typeof sink) => Promise<unknown>;
      // A handler that finishes normally after a cancel chose to deliver a final value (a chat turn keeps
      // its partial answer); one that throws while cancelled reports CANCELLED.
      const value = await handler(input, ctx, sink);
      return ok(this.parseOutput(route, spec.output, value, 'result'));
    } catch (e) {
      return this.fail(channel, ctx.signal.aborted ? new EvolveError('CANCELLED', 'Cancelled') : e);
    }
  }
}
