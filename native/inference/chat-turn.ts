// One chat turn on a thread's LlamaChat: streams text, measures TTFT and prompt/generation speed separately, maps
// the stop reason, and refuses silent context shifts.
import type { LlamaChat, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import { SamplingSettingsSchema, type EngineMessage, type StopReason, type Usage } from '../../common/inference/engine';
import { renderPromptTokens, toChatHistory } from './prompt';

export async function runChatTurn(
  model: LlamaModel,
  chat: LlamaChat,
  messages: EngineMessage[],
  promptTokens: number,
  samplingIn: unknown,
  signal: AbortSignal,
  onText: (t: string) => void,
  grammar?: LlamaGrammar,
): Promise<{ text: string; stopReason: StopReason; usage: Usage }> {
  const sampling = SamplingSettingsSchema.parse(samplingIn);
  const history = toChatHistory(messages);
  const promptToks = renderPromptTokens(chat.chatWrapper, model, history);
  const reused = Math.min(chat.sequence.compareContextTokens(promptToks).firstDifferentIndex, promptToks.length);
  const predictionsBefore = chat.sequence.tokenPredictions.used;
  const t0 = performance.now();
  let tFirst: number | undefined;
  let completionTokens = 0;
  const res = await chat.generateResponse(history, {
    signal,
    stopOnAbortSignal: true,
    maxTokens: sampling.maxTokens,
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    seed: sampling.seed,
    repeatPenalty: sampling.repeatPenalty ? { penalty: sampling.repeatPenalty } : undefined,
    customStopTriggers: sampling.stop,
    grammar,
    onToken: (tokens: Token[]) => {
      tFirst ??= performance.now();
      completionTokens += tokens.length;
    },
    onTextChunk: (t: string) => {
      if (t) onText(t);
    },
    // We checked the fit beforehand; if llama.cpp still wants to shift, fail loudly rather than drop text.
    contextShift: {
      strategy: () => {
        throw new EvolveError(
          'RESOURCE_EXHAUSTED',
          'The context window filled up during generation; lower max tokens or start a new thread',
        );
      },
    },
  });
  const tEnd = performance.now();
  const ttft = (tFirst ?? tEnd) - t0;
  const evaluated = Math.max(promptTokens - reused, 0);
  const genMs = tEnd - (tFirst ?? tEnd);
  const usage: Usage = {
    promptTokens,
    evaluatedPromptTokens: evaluated,
    completionTokens,
    timeToFirstTokenMs: ttft,
    promptTokensPerSecond: ttft > 0 ? (evaluated / ttft) * 1000 : 0,
    generationTokensPerSecond: genMs > 0 && completionTokens > 1 ? ((completionTokens - 1) / genMs) * 1000 : 0,
    totalMs: tEnd - t0,
    acceptedDraftTokens: chat.sequence.tokenPredictions.used - predictionsBefore,
  };
  return { text: res.response, stopReason: mapStop(res.metadata.stopReason), usage };
}

function mapStop(r: string): StopReason {
  if (r === 'eogToken') return 'eos';
  if (r === 'maxTokens') return 'max-tokens';
  if (r === 'abort') return 'cancelled';
  return 'stop-sequence';
}
