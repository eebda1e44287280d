// Turns chat messages into node-llama-cpp chat history and picks the prompt format: the model's own chat
// template when it has one, a plain "User:/Assistant:" transcript for base models (no template).
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import type { ChatMessage } from '../../common/inference/engine';
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

/** Chat history for a turn: the last message must be the user's; an empty model response is appended. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') {
    throw new EvolveError('INVALID_ARGUMENT', 'The last message must be from the user');
  }
  const out: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === 'system') return { type: 'system', text: m.content };
    if (m.role === 'user') return { type: 'user', text: m.content };
    return { type: 'model', response: [m.content] };
  });
  out.push({ type: 'model', response: [] });
  return out;
}

/** Tokens of the rendered prompt, exactly as the wrapper lays it out (used for context-window accounting). */
export function renderPromptTokens(wrapper: ChatWrapper, model: LlamaModel, history: ChatHistoryItem[]): Token[] {
  const { contextText } = wrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(model.tokenizer);
}
