// ServerBackend over any generic Provider (e.g. a router-backed or echo provider): chat and raw completion only —
// no tools, grammars, FIM or KV sequences, each refused with a clear 400 rather than answered approximately.
import type { GenerateResult, Usage } from '../../../common/inference/engine';
import { EvolveError } from '../../../common/errors';
import type { Provider } from '../../../common/providers/provider';
import type { ChatEvent } from '../../../common/providers/types';
import type { ChatCall, CompleteCall, EmbedCall, OnToken, ServedModel, ServerBackend } from './backend';

const usage = (promptTokens: number, completionTokens: number, totalMs: number): Usage => ({
  promptTokens,
  evaluatedPromptTokens: promptTokens,
  completionTokens,
  timeToFirstTokenMs: 0,
  promptTokensPerSecond: 0,
  generationTokensPerSecond: 0,
  totalMs,
  acceptedDraftTokens: 0,
});

export class ProviderBackend implements ServerBackend {
  constructor(private readonly provider: Provider) {}

  async listModels(): Promise<ServedModel[]> {
    return (await this.provider.listModels()).map((m) => ({
      id: m.id,
      aliases: [],
      displayName: m.id,
      kind: 'llm' as const,
      sizeBytes: 0,
      addedAt: 0,
      ...(m.contextLength ? { contextLength: m.contextLength } : {}),
      hasChatTemplate: true,
      fim: false,
      loaded: true,
    }));
  }

  async resolve(model: string): Promise<ServedModel> {
    const m = (await this.listModels()).find((x) => x.id === model);
    if (!m) throw new EvolveError('NOT_FOUND', `The model \`${model}\` does not exist`, { param: 'model' });
    return m;
  }

  private async drain(events: AsyncIterable<ChatEvent>, onToken: OnToken): Promise<GenerateResult> {
    const t0 = performance.now();
    let text = '';
    for await (const ev of events) {
      if (ev.type === 'delta') {
        text += ev.text;
        onToken(ev.text);
      } else
        return {
          text,
          stopReason: ev.finishReason === 'length' ? 'max-tokens' : ev.finishReason === 'cancelled' ? 'cancelled' : 'eos',
          usage: usage(ev.usage.promptTokens, ev.usage.completionTokens, performance.now() - t0),
        };
    }
    return { text, stopReason: 'cancelled', usage: usage(0, 0, performance.now() - t0) };
  }

  chat(call: ChatCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult> {
    if (call.tools?.length || call.responseFormat)
      throw new EvolveError('INVALID_ARGUMENT', 'This backend has no tools or JSON grammar support', {
        param: call.tools ? 'tools' : 'response_format',
      });
    const messages = call.messages.map((m) => {
      if (m.role === 'tool' || (m.role === 'assistant' && m.toolCalls?.length))
        throw new EvolveError('INVALID_ARGUMENT', 'This backend has no tool messages', { param: 'messages' });
      return { role: m.role, content: m.content };
    });
    const s = call.sampling;
    return this.drain(
      this.provider.chat(
        {
          model: call.model,
          messages,
          ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
          ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
          ...(s.topP !== undefined ? { topP: s.topP } : {}),
          ...(s.stop ? { stop: s.stop.slice(0, 8) } : {}),
        },
        { signal },
      ),
      onToken,
    );
  }

  complete(call: CompleteCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult> {
    const s = call.sampling;
    return this.drain(
      this.provider.complete(
        {
          model: call.model,
          prompt: call.prompt,
          ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
          ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
          ...(s.stop ? { stop: s.stop.slice(0, 8) } : {}),
        },
        { signal },
      ),
      onToken,
    );
  }

  infill(): Promise<GenerateResult> {
    return Promise.reject(
      new EvolveError('INVALID_ARGUMENT', 'This backend has no fill-in-the-middle support', { param: 'suffix', reason: 'no-fim' }),
    );
  }

  async embed(call: EmbedCall, signal: AbortSignal): Promise<{ model: string; vectors: Float32Array[]; promptTokens: number }> {
    if (!this.provider.embed) throw new EvolveError('UNAVAILABLE', 'This backend has no embeddings model', { param: 'model' });
    const r = await this.provider.embed({ model: call.model, input: call.input }, { signal });
    return { model: r.model, vectors: r.vectors.map((v) => Float32Array.from(v)), promptTokens: r.promptTokens };
  }

  async dispose(): Promise<void> {}
}
