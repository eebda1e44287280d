// The router: capability → candidates, with offline-only, budgets, redaction, cache, retries/backoff, circuit breakers and timeouts; every call explained.
import { randomUUID } from 'node:crypto';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import { costUsd, priceFor } from '../../../common/providers/pricing';
import type { Provider } from '../../../common/providers/provider';
import { estimateMessagesTokens, estimateTextTokens } from '../../../common/providers/tokens';
import type { CandidateVerdict, ChatEvent, ChatMessage, RoutingDecision, UsageRecord } from '../../../common/providers/types';
import { retryHint } from '../providers/provider-errors';
import type { RedactionCounts, SendPreview } from '../redaction/redactor';
import { runAttempt } from './attempt';
import { backoffDelay, sleep as realSleep } from './backoff';
import { candidatesFor } from './capability-map';
import { BreakerRegistry } from './circuit-breaker';
import { summarize } from './decision';
import { cacheKey, isCacheable } from './response-cache';
import { RouteRequestSchema, type RoutedEvent, type RouteRequest, type RouterOptions, type RunResult } from './router-types';

export {
  RouteRequestSchema,
  type RoutedEvent,
  type RouteRequest,
  type RouteRequestInput,
  type RouterOptions,
  type RunResult,
} from './router-types';

type Req = RouteRequest;

export class Router {
  readonly breakers: BreakerRegistry;
  private readonly retry: NonNullable<RouterOptions['retry']>;
  private readonly timeouts: NonNullable<RouterOptions['timeouts']>;
  private readonly now: () => number;
  private readonly sleep: NonNullable<RouterOptions['sleep']>;

  constructor(private readonly o: RouterOptions) {
    this.breakers = o.breakers ?? new BreakerRegistry({ failureThreshold: 3, cooldownMs: 30_000 });
    this.retry = o.retry ?? { maxAttempts: 2, baseMs: 250, maxMs: 4_000, maxRetryAfterMs: 10_000 };
    this.timeouts = o.timeouts ?? { firstByteMs: 20_000, totalMs: 300_000 };
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? realSleep;
  }

  private parse(input: unknown): Req {
    const r = RouteRequestSchema.safeParse(input);
    if (!r.success)
      throw new EvolveError(
        'INVALID_ARGUMENT',
        `Invalid route request: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    return r.data;
  }

  private estimateUsd(p: Provider, model: string, req: Req): number {
    const promptTokens = req.messages ? estimateMessagesTokens(req.messages) : estimateTextTokens(req.prompt ?? '');
    return costUsd(priceFor(this.o.pricing, p.kind, model), promptTokens, req.params.maxTokens ?? this.o.defaultMaxTokens ?? 512);
  }

  /** Exactly what would be sent to `providerId` (redacted when it leaves the machine). */
  async preview(input: unknown, providerId: string): Promise<SendPreview & { leavesMachine: boolean }> {
    const req = this.parse(input);
    const p = this.o.providers(providerId);
    if (!p) throw new EvolveError('NOT_FOUND', `No provider "${providerId}"`);
    const payload = { ...(req.messages ? { messages: req.messages } : {}), ...(req.prompt !== undefined ? { prompt: req.prompt } : {}) };
    if (!p.leavesMachine) return { ...payload, counts: {}, total: 0, items: [], leavesMachine: false };
    return { ...(await this.o.redactor.preview(payload)), leavesMachine: true };
  }

  /** Dry run: which candidate would be tried and why others would be skipped. Sends nothing. */
  plan(input: unknown): RoutingDecision {
    const req = this.parse(input);
    const verdicts: CandidateVerdict[] = [];
    let chosen: RoutingDecision['chosen'] = null;
    for (const c of candidatesFor(this.o.capabilityMap(), req.capability)) {
      if (chosen) {
        verdicts.push({ ...c, status: 'not-tried', reason: 'earlier-succeeded', explanation: 'An earlier candidate would be used.' });
        continue;
      }
      const skip = this.precheck(c.providerId, c.model, req, false);
      if (skip) verdicts.push(skip);
      else {
        const p = this.o.providers(c.providerId);
        chosen = { providerId: c.providerId, model: c.model };
        verdicts.push({
          ...c,
          status: 'chosen',
          reason: 'ok',
          explanation: 'First eligible candidate.',
          ...(p ? { estimatedCostUsd: this.estimateUsd(p, c.model, req) } : {}),
        });
      }
    }
    return this.decision(req, verdicts, chosen);
  }

  /** Returns a skip verdict, or null when the candidate may be tried. `acquire` takes the breaker's half-open slot. */
  private precheck(providerId: string, model: string, req: Req, acquire: boolean): CandidateVerdict | null {
    const base = { providerId, model, status: 'skipped' as const };
    const p = this.o.providers(providerId);
    if (!p) return { ...base, reason: 'disabled', explanation: `Provider "${providerId}" is not configured or is disabled.` };
    const need = req.messages ? 'chat' : 'complete';
    if (!p.features.has(need)) return { ...base, reason: 'missing-feature', explanation: `${providerId} does not offer ${need}.` };
    if (p.leavesMachine && this.o.guard.offlineOnly) {
      const why = this.o.guard.explain({ providerId, kind: p.kind }) ?? `Offline-only mode is on and ${providerId} is not on this machine.`;
      return { ...base, reason: 'offline-only', explanation: why };
    }
    const est = this.estimateUsd(p, model, req);
    const budget = this.o.budget.check(est, req.projectId);
    if (!budget.ok) return { ...base, reason: budget.reason, explanation: budget.explanation, estimatedCostUsd: est };
    const breaker = this.breakers.get(providerId);
    const open = acquire ? !breaker.tryAcquire() : breaker.state() === 'open';
    if (open)
      return {
        ...base,
        reason: 'circuit-open',
        explanation: `${providerId} failed repeatedly; paused for another ${Math.ceil(breaker.retryInMs() / 1000)} s.`,
      };
    return null;
  }

  private decision(req: Req, candidates: CandidateVerdict[], chosen: RoutingDecision['chosen']): RoutingDecision {
    const offlineOnly = this.o.guard.offlineOnly;
    return {
      requestId: req.requestId ?? randomUUID(),
      capability: req.capability,
      projectId: req.projectId,
      offlineOnly,
      chosen,
      candidates,
      summary: summarize(candidates, chosen, offlineOnly),
    };
  }

  private async emitUsage(r: Omit<UsageRecord, 'id' | 'at'>): Promise<void> {
    if (!this.o.onUsage) return;
    try {
      await this.o.onUsage({ id: randomUUID(), at: this.now(), ...r });
    } catch (e) {
      // A failing sink must never fail the user's request, but a lost usage row (and so a wrong budget) is logged.
      this.o.log?.('warn', `usage record for ${r.providerId}/${r.model} was not saved: ${toErrorInfo(e).message}`);
    }
  }

  /** Streams a routed call. The last event is always `decision`; on total failure it is followed by a thrown EvolveError. */
  async *stream(input: unknown, signal?: AbortSignal): AsyncGenerator<RoutedEvent> {
    const req = this.parse(input);
    const verdicts: CandidateVerdict[] = [];
    const candidates = candidatesFor(this.o.capabilityMap(), req.capability);
    if (candidates.length === 0) throw new EvolveError('NOT_FOUND', `No provider is configured for "${req.capability}".`);
    let lastError: EvolveError | null = null;
    const finish = (chosen: RoutingDecision['chosen']) => {
      for (const c of candidates.slice(verdicts.length))
        verdicts.push({ ...c, status: 'not-tried', reason: 'earlier-succeeded', explanation: 'An earlier candidate answered.' });
      const d = this.decision(req, verdicts, chosen);
      this.o.onDecision?.(d);
      return d;
    };

    for (const cand of candidates) {
      const skip = this.precheck(cand.providerId, cand.model, req, true);
      if (skip) {
        verdicts.push(skip);
        continue;
      }
      const p = this.o.providers(cand.providerId) as Provider;
      const breaker = this.breakers.get(p.id);
      const estimate = this.estimateUsd(p, cand.model, req);
      // Redaction happens here, through the same function the preview uses, before anything reaches a cloud adapter.
      let messages: ChatMessage[] | undefined = req.messages;
      let prompt: string | undefined = req.prompt;
      let redactions: RedactionCounts = {};
      if (p.leavesMachine) {
        const pv = await this.o.redactor.preview({ ...(messages ? { messages } : {}), ...(prompt !== undefined ? { prompt } : {}) });
        messages = pv.messages;
        prompt = pv.prompt;
        redactions = pv.counts;
      }
      const recordBase = {
        providerId: p.id,
        providerKind: p.kind,
        projectId: req.projectId,
        capability: req.capability,
        redactions: redactions as Record<string, number>,
      };

      const key =
        this.o.cache && isCacheable(req.params)
          ? cacheKey({
              providerId: p.id,
              model: cand.model,
              ...(messages ? { messages } : {}),
              ...(prompt !== undefined ? { prompt } : {}),
              params: req.params,
            })
          : null;
      if (key && this.o.cache) {
        const hit = await this.o.cache.get(key);
        if (hit) {
          breaker.release();
          yield { type: 'delta', text: hit.text };
          yield { type: 'done', finishReason: hit.finishReason, usage: hit.usage, model: hit.model };
          await this.emitUsage({
            ...recordBase,
            model: hit.model,
            promptTokens: hit.usage.promptTokens,
            completionTokens: hit.usage.completionTokens,
            tokensEstimated: hit.usage.estimated,
            costUsd: 0,
            latencyMs: 0,
            ttftMs: 0,
            cached: true,
            outcome: 'ok',
          });
          verdicts.push({
            ...cand,
            status: 'chosen',
            reason: 'cache-hit',
            explanation: 'Identical deterministic request answered from the response cache (no cost).',
            estimatedCostUsd: 0,
          });
          yield { type: 'decision', decision: finish({ providerId: p.id, model: hit.model }) };
          return;
        }
      }

      let attempt = 0;
      for (;;) {
        attempt++;
        yield { type: 'attempt', providerId: p.id, model: cand.model, attempt };
        const t0 = performance.now();
        let ttft: number | null = null;
        let text = '';
        let emitted = false;
        try {
          for await (const ev of runAttempt({
            provider: p,
            model: cand.model,
            ...(messages ? { messages } : {}),
            ...(prompt !== undefined ? { prompt } : {}),
            params: req.params,
            firstByteMs: this.timeouts.firstByteMs,
            totalMs: this.timeouts.totalMs,
            ...(signal ? { signal } : {}),
          })) {
            if (ev.type === 'first-byte') {
              ttft = ev.ttftMs;
              continue;
            }
            if (ev.type === 'delta') {
              text += ev.text;
              emitted = true;
              yield ev;
              continue;
            }
            // done
            breaker.onSuccess();
            const cost = costUsd(priceFor(this.o.pricing, p.kind, cand.model), ev.usage.promptTokens, ev.usage.completionTokens);
            this.o.budget.record(cost, req.projectId);
            await this.emitUsage({
              ...recordBase,
              model: ev.model,
              promptTokens: ev.usage.promptTokens,
              completionTokens: ev.usage.completionTokens,
              tokensEstimated: ev.usage.estimated,
              costUsd: cost,
              latencyMs: performance.now() - t0,
              ttftMs: ttft,
              cached: false,
              outcome: 'ok',
            });
            if (key && this.o.cache && ev.finishReason !== 'cancelled') {
              await this.o.cache.set(key, { text, finishReason: ev.finishReason, model: ev.model, usage: ev.usage, storedAt: this.now() });
            }
            yield ev;
            verdicts.push({
              ...cand,
              status: 'chosen',
              reason: 'ok',
              explanation: attempt > 1 ? `Answered on attempt ${attempt}.` : 'Answered.',
              estimatedCostUsd: estimate,
              attempts: attempt,
            });
            yield { type: 'decision', decision: finish({ providerId: p.id, model: ev.model }) };
            return;
          }
          throw new EvolveError('UNAVAILABLE', `${p.id} ended without a result`, { providerId: p.id, retryable: true });
        } catch (e) {
          const err = e instanceof EvolveError ? e : new EvolveError(toErrorInfo(e).code, toErrorInfo(e).message);
          await this.emitUsage({
            ...recordBase,
            model: cand.model,
            promptTokens: 0,
            completionTokens: 0,
            tokensEstimated: true,
            costUsd: 0,
            latencyMs: performance.now() - t0,
            ttftMs: ttft,
            cached: false,
            outcome: err.code === 'CANCELLED' ? 'cancelled' : 'error',
            errorCode: err.code,
          });
          if (err.code === 'CANCELLED') {
            breaker.release();
            verdicts.push({
              ...cand,
              status: 'failed',
              reason: 'error',
              explanation: 'Cancelled by the user.',
              attempts: attempt,
              errorCode: err.code,
            });
            const d = finish(null);
            yield { type: 'decision', decision: d };
            throw new EvolveError('CANCELLED', 'Cancelled', { decision: d });
          }
          if (err.code === 'FORBIDDEN') {
            breaker.release();
            verdicts.push({ ...cand, status: 'skipped', reason: 'offline-only', explanation: err.message, errorCode: err.code });
            lastError = err;
            break;
          }
          const hint = retryHint(err);
          // Only provider-health failures count against the breaker; a bad key or request is not an outage.
          if (hint.retryable) breaker.onFailure();
          else breaker.release();
          const reason: CandidateVerdict['reason'] =
            err.code === 'TIMEOUT' ? 'timeout' : err.code === 'RESOURCE_EXHAUSTED' && hint.retryable ? 'rate-limited' : 'error';
          if (emitted) {
            // The caller already has part of this answer; switching models mid-answer would splice two outputs.
            verdicts.push({
              ...cand,
              status: 'failed',
              reason,
              explanation: `Failed after partial output: ${err.message}`,
              attempts: attempt,
              errorCode: err.code,
            });
            const d = finish(null);
            yield { type: 'decision', decision: d };
            throw new EvolveError(err.code, `${err.message} (after partial output)`, { decision: d });
          }
          const canRetry =
            hint.retryable &&
            attempt < this.retry.maxAttempts &&
            (hint.retryAfterMs ?? 0) <= this.retry.maxRetryAfterMs &&
            breaker.state() === 'closed';
          if (canRetry) {
            const delayMs = backoffDelay(
              attempt,
              { baseMs: this.retry.baseMs, maxMs: this.retry.maxMs, ...(this.o.random ? { random: this.o.random } : {}) },
              hint.retryAfterMs,
            );
            yield { type: 'retry', providerId: p.id, delayMs, reason: `${err.code}: ${err.message}` };
            await this.sleep(delayMs, signal);
            breaker.tryAcquire();
            continue;
          }
          const why = `${err.code}: ${err.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}${breaker.state() !== 'closed' ? '; circuit opened' : ''}`;
          verdicts.push({
            ...cand,
            status: 'failed',
            reason,
            explanation: why,
            attempts: attempt,
            errorCode: err.code,
            estimatedCostUsd: estimate,
          });
          yield { type: 'fallback', from: p.id, reason: why };
          lastError = err;
          break;
        }
      }
    }
    const d = finish(null);
    yield { type: 'decision', decision: d };
    const allSkipped = verdicts.every((v) => v.status === 'skipped');
    const code =
      lastError?.code ??
      (verdicts.some((v) => v.reason === 'offline-only') && allSkipped
        ? 'FORBIDDEN'
        : verdicts.some((v) => v.reason.startsWith('budget')) && allSkipped
          ? 'RESOURCE_EXHAUSTED'
          : 'UNAVAILABLE');
    throw new EvolveError(code, d.summary, { decision: d });
  }

  /** Convenience: runs to completion and returns the whole text with the decision. */
  async run(input: unknown, signal?: AbortSignal): Promise<RunResult> {
    let text = '';
    let done: Extract<ChatEvent, { type: 'done' }> | undefined;
    let decision: RoutingDecision | undefined;
    for await (const ev of this.stream(input, signal)) {
      if (ev.type === 'delta') text += ev.text;
      else if (ev.type === 'done') done = ev;
      else if (ev.type === 'decision') decision = ev.decision;
    }
    if (!done || !decision?.chosen) throw new EvolveError('INTERNAL', 'Routed call ended without a result');
    return {
      text,
      finishReason: done.finishReason,
      usage: done.usage,
      providerId: decision.chosen.providerId,
      model: decision.chosen.model,
      decision,
    };
  }
}
