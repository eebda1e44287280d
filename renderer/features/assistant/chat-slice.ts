// Chat state: threads, the open thread's messages, the streaming answer (tokens batched per frame), stop,
// regenerate, edit-and-resend, and the visible handling of context overflow.
import type { FileDiff } from '../../../common/codegen/types';
import type { ChatStats, MentionOptions } from '../../../common/contracts/chat';
import type { ApplyGenerationResult } from '../../../common/contracts/workspace';
import type { Result } from '../../../common/result';
import type { Message, Thread } from '../../../common/store/rows';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import { FrameBatcher } from '../../lib/frame-batcher';
import type { UiError } from '../../lib/errors';

export interface ChatSettings {
  modelId: string | null;
  systemPrompt: string;
  temperature: number;
  maxTokens: number;
  /** The project new threads belong to (its files can then be @mentioned and answers applied to it). */
  projectId: string | null;
}

export interface ApplyProposal {
  generationId: string;
  projectId: string;
  diff: FileDiff[];
}

export interface ChatSlice {
  chat: {
    threads: Thread[];
    threadId: string | null;
    messages: Message[];
    streaming: { active: boolean; text: string; truncated: ChatStats['truncated'] | null };
    error: UiError | null;
    /** The last request, so an overflow can be retried with truncation the user agreed to. */
    lastRequest: { action: 'send' | 'regenerate' | 'edit'; text?: string; messageId?: string } | null;
    settings: ChatSettings;
  };
  loadThreads(): Promise<void>;
  newThread(): Promise<string | null>;
  openThread(threadId: string): Promise<void>;
  deleteThread(threadId: string): Promise<void>;
  setChatSettings(p: Partial<ChatSettings>): void;
  sendMessage(text: string): Promise<void>;
  regenerate(): Promise<void>;
  editAndResend(messageId: string, text: string): Promise<void>;
  retryTruncating(): Promise<void>;
  stopGenerating(): void;
  /** The `@` autocomplete for the open thread's project. */
  mentionOptions(query: string): Promise<Result<MentionOptions>>;
  /** "Apply to file…": a reviewable generation for one code block of an answer; nothing is written yet. */
  proposeApply(messageId: string, path: string, code: string, lang?: string): Promise<Result<ApplyProposal>>;
  /** Applies every hunk of a proposal through the workspace (gate, checkpoint, audit). */
  applyProposal(p: ApplyProposal): Promise<Result<ApplyGenerationResult>>;
}

let stop: (() => void) | null = null;

export const createChatSlice: SliceCreator<ChatSlice> = (set, get) => {
  const patch = (p: Partial<ChatSlice['chat']>) => set({ chat: { ...get().chat, ...p } });

  const run = async (req: NonNullable<ChatSlice['chat']['lastRequest']>, overflow: 'error' | 'truncate-oldest' = 'error') => {
    const c = get().chat;
    if (c.streaming.active) return;
    let threadId = c.threadId ?? (await get().newThread());
    if (!threadId || !c.settings.modelId) {
      patch({
        error: {
          code: 'INVALID_ARGUMENT',
          message: c.settings.modelId ? 'Could not create a thread' : 'Choose a model first (Models section)',
        },
      });
      return;
    }
    if (req.action === 'regenerate') {
      // Drop the answer being replaced from view at once.
      const msgs = get().chat.messages;
      let end = msgs.length;
      while (end > 0 && msgs[end - 1]?.role === 'assistant') end--;
      patch({ messages: msgs.slice(0, end) });
    } else if (req.action === 'edit') {
      const idx = get().chat.messages.findIndex((m) => m.id === req.messageId);
      if (idx >= 0) patch({ messages: get().chat.messages.slice(0, idx) });
    }
    patch({ error: null, lastRequest: req, streaming: { active: true, text: '', truncated: null } });
    const batcher = new FrameBatcher<string>((parts) => {
      const s = get().chat.streaming;
      patch({ streaming: { ...s, text: s.text + parts.join('') } });
    });
    const handle = getApi().chat.send(
      {
        threadId,
        modelId: c.settings.modelId,
        action: req.action,
        ...(req.text !== undefined ? { text: req.text } : {}),
        ...(req.messageId ? { messageId: req.messageId } : {}),
        ...(c.settings.systemPrompt.trim() ? { systemPrompt: c.settings.systemPrompt } : {}),
        sampling: { temperature: c.settings.temperature, maxTokens: c.settings.maxTokens },
        overflow,
      },
      (e) => {
        if (e.type === 'token') batcher.push(e.text);
        else if (e.type === 'user-message') patch({ messages: [...get().chat.messages, e.message] });
        else
          patch({
            streaming: { ...get().chat.streaming, truncated: { droppedMessages: e.droppedMessages, droppedTokens: e.droppedTokens } },
          });
      },
    );
    stop = handle.cancel;
    const r = await handle.result;
    batcher.drain();
    stop = null;
    threadId = get().chat.threadId;
    if (r.ok) patch({ messages: [...get().chat.messages, r.value.message], streaming: { active: false, text: '', truncated: null } });
    else patch({ error: r.error, streaming: { ...get().chat.streaming, active: false } });
  };

  return {
    chat: {
      threads: [],
      threadId: null,
      messages: [],
      streaming: { active: false, text: '', truncated: null },
      error: null,
      lastRequest: null,
      settings: { modelId: null, systemPrompt: '', temperature: 0.7, maxTokens: 512, projectId: null },
    },
    async loadThreads() {
      const r = await getApi().chat.threads({});
      if (r.ok) patch({ threads: r.value });
      else patch({ error: r.error });
    },
    async newThread() {
      const projectId = get().chat.settings.projectId;
      const r = await getApi().chat.createThread({ title: `Chat ${new Date().toLocaleString()}`, ...(projectId ? { projectId } : {}) });
      if (!r.ok) {
        patch({ error: r.error });
        return null;
      }
      patch({ threads: [r.value, ...get().chat.threads], threadId: r.value.id, messages: [], error: null });
      return r.value.id;
    },
    async openThread(threadId) {
      if (get().chat.streaming.active) return;
      patch({ threadId, messages: [], error: null });
      const r = await getApi().chat.messages({ threadId });
      if (r.ok && get().chat.threadId === threadId) patch({ messages: r.value });
      else if (!r.ok) patch({ error: r.error });
    },
    async deleteThread(threadId) {
      const r = await getApi().chat.deleteThread({ threadId });
      if (!r.ok) return patch({ error: r.error });
      const threads = get().chat.threads.filter((t) => t.id !== threadId);
      patch(get().chat.threadId === threadId ? { threads, threadId: null, messages: [] } : { threads });
    },
    setChatSettings(p) {
      patch({ settings: { ...get().chat.settings, ...p } });
    },
    sendMessage: (text) => run({ action: 'send', text }),
    regenerate: () => run({ action: 'regenerate' }),
    editAndResend: (messageId, text) => run({ action: 'edit', messageId, text }),
    async retryTruncating() {
      const last = get().chat.lastRequest;
      if (!last) return;
      // The user message of a failed send is already stored: answer it again instead of sending it twice.
      await run(last.action === 'send' ? { action: 'regenerate' } : last, 'truncate-oldest');
    },
    stopGenerating() {
      stop?.();
    },
    mentionOptions(query) {
      const threadId = get().chat.threadId;
      if (!threadId) return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Open or start a thread first' } });
      return getApi().chat.mentionOptions({ threadId, query, limit: 20 });
    },
    proposeApply(messageId, path, code, lang) {
      const threadId = get().chat.threadId;
      if (!threadId) return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Open the thread first' } });
      return getApi().chat.proposeApply({ threadId, messageId, path, code, ...(lang ? { lang } : {}) });
    },
    applyProposal(p) {
      return getApi().workspace.applyGeneration({
        generationId: p.generationId,
        accept: p.diff.map((d) => ({ path: d.path, hunkIds: d.hunks.map((h) => h.id) })),
      });
    },
  };
};
