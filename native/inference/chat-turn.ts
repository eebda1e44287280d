// One chat turn on a thread's LlamaChat: streams text, measures TTFT and prompt/generation speed separately, maps
// the stop reason, returns tool calls, and refuses silent context shifts.
import type { ChatHistoryItem, LlamaChat, LlamaChatResponse, LlamaModel, Token } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import { SamplingSettingsSchema, type EngineMessage, type StopReason, type ToolCall, type Usage } from '../../common/inference/engine';
import { renderPromptTokens, toChatHistory } from './prompt';
import { toToolCall, type TurnPlan } from './tools';

export interface ChatTurnResult {
  text: string;
  stopReason: StopReason;
  usage: Usage;
  toolCalls?: ToolCall[];
}

export async function runChatTurn(
  model: LlamaModel,
  chat: LlamaChat,
  messages: EngineMessage[],
  promptTokens: number,
  samplingIn: unknown,
  signal: AbortSignal,
  onText: (t: string) => void,
  plan: TurnPlan = { forcedCall: false },
): Promise<ChatTurnResult> {
  const sampling = SamplingSettingsSchema.parse(samplingIn);
  let history: ChatHistoryItem[] = toChatHistory(messages);
  // A forced call runs under a grammar, which node-llama-cpp cannot combine with `functions`: the functions are
  // described in the system prompt the same way the wrapper would, and the grammar makes the call.
  if (plan.forcedCall && plan.documented)
    history = [...chat.chatWrapper.addAvailableFunctionsSystemMessageToHistory(history, plan.documented, { documentParams: true })];
  const promptToks = renderPromptTokens(chat.chatWrapper, model, history, plan.functions);
  const reused = Math.min(chat.sequence.compareContextTokens(promptToks).firstDifferentIndex, promptToks.length);
  const predictionsBefore = chat.sequence.tokenPredictions.used;
  const t0 = performance.now();
  let tFirst: number | undefined;
  let completionTokens = 0;
  const common = {
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
    onToken: (tokens: Token[]) => {
      tFirst ??= performance.now();
      completionTokens += tokens.length;
    },
    onTextChunk: (t: string) => {
      // A forced call's JSON is not text for the user; it comes back as toolCalls.
      if (t && !plan.forcedCall) onText(t);
    },
    // We checked the fit beforehand; if llama.cpp still wants to shift, fail loudly rather than drop text.
    contextShift: {
      strategy: (): never => {
        throw new EvolveError(
          'RESOURCE_EXHAUSTED',
          'The context window filled up during generation; lower max tokens or start a new thread',
        );
      },
    },
  };
  const res: LlamaChatResponse<Record<string, never>> | LlamaChatResponse = plan.functions
    ? await chat.generateResponse(history, { ...common, functions: plan.functions, documentFunctionParams: true })
    : await chat.generateResponse(history, { ...common, grammar: plan.grammar });
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
  const stopReason = mapStop(res.metadata.stopReason);
  const calls = (res.functionCalls ?? []) as { functionName: string; params: unknown }[];
  if (calls.length)
    return { text: res.response, stopReason: 'tool-calls', usage, toolCalls: calls.map((c) => toToolCall(c.functionName, c.params)) };
  if (plan.forcedCall && plan.grammar && stopReason !== 'cancelled') {
    let call: { name: string; arguments: unknown };
    try {
      call = JSON.parse(res.response) as { name: string; arguments: unknown }; // shape guaranteed by the grammar
    } catch (e) {
      throw new EvolveError('RESOURCE_EXHAUSTED', `The tool call was cut off (stop: ${stopReason}); raise max tokens`, {
        text: res.response,
        cause: String(e),
      });
    }
    return { text: '', stopReason: 'tool-calls', usage, toolCalls: [toToolCall(call.name, call.arguments)] };
  }
  return { text: res.response, stopReason, usage };
}

function mapStop(r: string): StopReason {
  if (r === 'eogToken') return 'eos';
  if (r === 'maxTokens') return 'max-tokens';
  if (r === 'abort') return 'cancelled';
  if (r === 'functionCalls') return 'tool-calls';
  return 'stop-sequence';
}
