// Turns engine messages (chat, tool calls, tool results) into node-llama-cpp chat history and picks the prompt
// format: the model's own chat template when it has one, a plain "User:/Assistant:" transcript for base models.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import type { EngineMessage } from '../../common/inference/engine';
import type { NodeLlamaCpp } from './llama-module';

export type PromptFormat = 'template' | 'base-transcript';

export interface ChosenWrapper {
  wrapper: ChatWrapper;
  format: PromptFormat;
  name: string;
}

/**
 * Instruction-tuned GGUFs carry `tokenizer.chat_template`; resolveChatWrapper maps it to the right wrapper.
 * Base models have none: node-llama-cpp would still guess a wrapper from the architecture name (Gemma's
 * <start_of_turn> format), which a base model was never trained on. A transcript it can simply continue
 * works better, and its "User:" title doubles as the stop trigger.
 */
export function chooseChatWrapper(nlc: NodeLlamaCpp, model: LlamaModel, hasChatTemplate: boolean): ChosenWrapper {
  if (hasChatTemplate) {
    const wrapper = nlc.resolveChatWrapper(model);
    if (wrapper) return { wrapper, format: 'template', name: wrapper.wrapperName };
  }
  const wrapper = new nlc.GeneralChatWrapper({
    userMessageTitle: 'User',
    modelResponseTitle: 'Assistant',
    middleSystemMessageTitle: 'System',
  });
  return { wrapper, format: 'base-transcript', name: 'base-transcript' };
}

/**
 * Chat history for a turn. The last message is the user's (an empty model response is appended for the model
 * to fill) or a tool result (the assistant response that made the calls is continued after the results, which
 * is how node-llama-cpp — and the chat templates — lay out a function-calling turn). Tool results are attached
 * to the call with the same id, so the wrapper renders them in the model's own format.
 */
export function toChatHistory(messages: readonly EngineMessage[]): ChatHistoryItem[] {
  const last = messages[messages.length - 1];
  if (!last || (last.role !== 'user' && last.role !== 'tool')) {
    throw new EvolveError('INVALID_ARGUMENT', 'The last message must be from the user or a tool result');
  }
  const out: ChatHistoryItem[] = [];
  // Calls of the latest assistant message still waiting for their results, by id.
  let open = new Map<string, ChatModelFunctionCall>();
  const checkAllAnswered = (): void => {
    const missing = [...open.entries()].filter(([, c]) => c.result === undefined).map(([id]) => id);
    if (missing.length)
      throw new EvolveError('INVALID_ARGUMENT', `Tool call(s) ${missing.join(', ')} have no tool message with their result`);
  };
  messages.forEach((m, i) => {
    if (m.role !== 'tool') {
      checkAllAnswered();
      open = new Map();
    }
    if (m.role === 'system') out.push({ type: 'system', text: m.content });
    else if (m.role === 'user') out.push({ type: 'user', text: m.content });
    else if (m.role === 'assistant') {
      const response: (string | ChatModelFunctionCall)[] = m.content ? [m.content] : [];
      for (const call of m.toolCalls ?? []) {
        const fc: ChatModelFunctionCall = {
          type: 'functionCall',
          name: call.name,
          params: parseArguments(call.arguments, call.id),
          result: undefined,
        };
        if (open.has(call.id)) throw new EvolveError('INVALID_ARGUMENT', `Tool call id ${call.id} appears twice in one message`);
        open.set(call.id, fc);
        response.push(fc);
      }
      out.push({ type: 'model', response });
    } else {
      const call = open.get(m.toolCallId);
      if (!call)
        throw new EvolveError(
          'INVALID_ARGUMENT',
          `Message ${i} answers tool call ${m.toolCallId}, which the assistant message before it did not make`,
        );
      if (call.result !== undefined) throw new EvolveError('INVALID_ARGUMENT', `Tool call ${m.toolCallId} has two results`);
      call.result = toolResultValue(m.content);
    }
  });
  checkAllAnswered();
  if (last.role === 'user') out.push({ type: 'model', response: [] });
  return out;
}

/** OpenAI sends arguments as JSON text; an unparsable one is the client's bug, reported as such. */
function parseArguments(text: string, id: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new EvolveError('INVALID_ARGUMENT', `Tool call ${id} has arguments that are not valid JSON`);
  }
}

/** A JSON tool result is passed as a value (rendered as JSON); any other text as the string it is. */
function toolResultValue(content: string): unknown {
  const t = content.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      // not JSON after all: keep the text
    }
  }
  return content;
}

/** Tokens of the rendered prompt, exactly as the wrapper lays it out (used for context-window accounting). */
export function renderPromptTokens(
  wrapper: ChatWrapper,
  model: LlamaModel,
  history: ChatHistoryItem[],
  functions?: ChatModelFunctions,
): Token[] {
  const { contextText } = wrapper.generateContextState({
    chatHistory: history,
    availableFunctions: functions,
    documentFunctionParams: functions ? true : undefined,
  });
  return contextText.tokenize(model.tokenizer);
}
