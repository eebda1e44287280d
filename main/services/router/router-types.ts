// The router's public shapes: the validated route request, streamed events, options and the run result.
import { z } from 'zod';
import type { PricingTable } from '../../../common/providers/pricing';
import type { Provider } from '../../../common/providers/provider';
import {
  CapabilitySchema,
  ChatMessageSchema,
  GenerationParamsSchema,
  type ChatEvent,
  type FinishReason,
  type RoutingDecision,
  type TokenUsage,
} from '../../../common/providers/types';
import type { EgressGuard } from '../providers/egress-guard';
import type { RedactionService } from '../redaction/worker-redactor';
import type { BudgetTracker } from './budget';
import type { CapabilityMap } from './capability-map';
import type { BreakerRegistry } from './circuit-breaker';
import type { CacheStore } from './response-cache';
import type { UsageSink } from './usage';

export const RouteRequestSchema = z
  .object({
    capability: CapabilitySchema,
    projectId: z.string().min(1).max(200).nullable().default(null),
    requestId: z.string().min(1).max(100).optional(),
    messages: z.array(ChatMessageSchema).min(1).optional(),
    prompt: z.string().optional(),
    params: GenerationParamsSchema.default({}),
  })
  .refine((r) => (r.messages === undefined) !== (r.prompt === undefined), { message: 'give exactly one of messages or prompt' });
export type RouteRequestInput = z.input<typeof RouteRequestSchema>;

export type RoutedEvent =
  | ChatEvent
  | { type: 'attempt'; providerId: string; model: string; attempt: number }
  | { type: 'retry'; providerId: string; delayMs: number; reason: string }
  | { type: 'fallback'; from: string; reason: string }
  | { type: 'decision'; decision: RoutingDecision };

export interface RouterOptions {
  providers: (id: string) => Provider | undefined;
  capabilityMap: () => CapabilityMap;
  guard: EgressGuard;
  /** The app passes the WorkerRedactor (redaction off the main thread); tests may pass the sync Redactor. */
  redactor: RedactionService;
  pricing: PricingTable;
  budget: BudgetTracker;
  cache?: CacheStore;
  onUsage?: UsageSink;
  /** Where failures of the usage sink are reported (they never fail the user's request). */
  log?: (level: 'warn', msg: string) => void;
  onDecision?: (d: RoutingDecision) => void;
  retry?: { maxAttempts: number; baseMs: number; maxMs: number; maxRetryAfterMs: number };
  timeouts?: { firstByteMs: number; totalMs: number };
  breakers?: BreakerRegistry;
  /** Completion tokens assumed for estimates when the request sets no maxTokens. */
  defaultMaxTokens?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunResult {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  providerId: string;
  model: string;
  decision: RoutingDecision;
}

export type RouteRequest = z.output<typeof RouteRequestSchema>;
