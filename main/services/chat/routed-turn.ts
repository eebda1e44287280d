// A chat turn through the provider router instead of a local model ("route:<capability>" in the model
// picker): the router applies offline-only, budgets, redaction, fallback and auditing, and this turns its
// events and result into the chat's tokens and stats, so routed answers look like local ones.
import { EvolveError } from '../../../common/errors';
import { CapabilitySchema } from '../../../common/providers/types';
import type { ChatStats } from '../../../common/contracts/chat';
import type { ChatMessage } from '../../../common/inference/engine';
import type { AppProviders } from '../providers/app-providers';

export const ROUTE_PREFIX = 'route:';

export function isRoutedModel(modelId: string): boolean {
  return modelId.startsWith(ROUTE_PREFIX);
}

export async function routedTurn(
  providers: AppProviders,
  modelId: string,
  /** The thread's project: its budget applies and its usage is recorded under it. */
  projectId: string | null,
  messages: ChatMessage[],
  sampling: { temperature?: number; maxTokens?: number },
  onToken: (text: string) => void,
  signal: AbortSignal,
): Promise<{ text: string; stats: ChatStats; model: string }> {
  const capability = CapabilitySchema.safeParse(modelId.slice(ROUTE_PREFIX.length));
  if (!capability.success) throw new EvolveError('INVALID_ARGUMENT', `Unknown route ${modelId}`);
  const started = performance.now();
  let firstAt: number | undefined;
  const r = await providers.send(
    {
      capability: capability.data,
      projectId,
      messages,
      params: {
        ...(sampling.temperature !== undefined ? { temperature: sampling.temperature } : {}),
        ...(sampling.maxTokens ? { maxTokens: sampling.maxTokens } : {}),
      },
    },
    signal,
    async (e) => {
      if (e.type !== 'delta') return;
      firstAt ??= performance.now();
      onToken(e.text);
    },
  );
  if (r.error) throw new EvolveError(r.error.code, r.error.message, { decision: r.decision });
  const totalMs = performance.now() - started;
  const ttft = (firstAt ?? performance.now()) - started;
  const completion = r.usage?.completionTokens ?? 0;
  const genMs = Math.max(1, totalMs - ttft);
  const chosen = r.decision?.chosen;
  const stats: ChatStats = {
    modelId: chosen ? `${chosen.providerId}/${chosen.model}` : modelId,
    stopReason: signal.aborted || r.finishReason === 'cancelled' ? 'cancelled' : r.finishReason === 'length' ? 'max-tokens' : 'eos',
    usage: {
      promptTokens: r.usage?.promptTokens ?? 0,
      evaluatedPromptTokens: r.usage?.promptTokens ?? 0,
      completionTokens: completion,
      timeToFirstTokenMs: ttft,
      promptTokensPerSecond: 0,
      generationTokensPerSecond: completion > 1 ? ((completion - 1) * 1000) / genMs : 0,
      totalMs,
      acceptedDraftTokens: 0,
    },
  };
  return { text: r.text, stats, model: stats.modelId };
}
