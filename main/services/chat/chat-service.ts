// Chat turns against the local engine: threads and messages live in the encrypted store; a turn appends
// the user message, streams the answer (KV cache reused per thread by the worker) and stores the answer with
// how it was produced. Stopping keeps the partial answer, marked as cancelled.
import type { z } from 'zod';
import type { ChatEvent, ChatSendInput, ChatStats } from '../../../common/contracts/chat';
import { EvolveError } from '../../../common/errors';
import type { ChatMessage } from '../../../common/inference/engine';
import type { Message } from '../../../common/store/rows';
import type { LocalAi } from '../local-ai';
import type { StoreService } from '../store/store-service';
import type { AppProviders } from '../providers/app-providers';
import { isRoutedModel, routedTurn } from './routed-turn';
import { editAndResendMessages, regenerateMessages, sendMessages, withContextBlock } from './turns';
import { auditInjectionFlags } from '../security/audit-flags';
import type { MentionResolver, ResolvedContext } from './mention-context';
import { CoalescingSender } from '../../../common/base/coalescing-sender';
import type { WorkScheduler } from '../../platform/work-scheduler';
import type { Log } from '../../platform/log/logger';

type SendInput = z.output<typeof ChatSendInput>;

const asChat = (m: Message): ChatMessage | null =>
  m.role === 'system' || m.role === 'user' || m.role === 'assistant' ? { role: m.role, content: m.content } : null;

export class ChatService {
  constructor(
    private readonly store: StoreService,
    private readonly ai: LocalAi,
    private readonly providers?: AppProviders,
    /** Chat turns are interactive work: background indexing waits while they run. */
    private readonly work?: WorkScheduler,
    private readonly log: Log = () => {},
    /** Resolves @file / @symbol / @project mentions of a thread's project (absent: mentions are plain text). */
    private readonly mentions?: MentionResolver,
  ) {}

  /** Default token budget of the project context a message's mentions add. */
  static readonly CONTEXT_TOKENS = 2000;

  /** The mentions' context for `text`, resolved before anything is stored or sent (an unknown mention fails here). */
  private resolveContext(projectId: string | null, text: string, input: SendInput): Promise<ResolvedContext | null> {
    if (!this.mentions) return Promise.resolve(null);
    return this.mentions.resolve(projectId, text, input.contextTokens ?? ChatService.CONTEXT_TOKENS);
  }

  /** A page that stopped listening does not stop the turn (the answer is still stored); the lost events are logged. */
  private lostEvents(e: unknown): void {
    this.log(
      'info',
      `chat: the page stopped receiving this turn's events (${e instanceof Error ? e.message : String(e)}); the answer is still saved`,
    );
  }

  private history(threadId: string): Promise<Message[]> {
    this.store.assertReady();
    return this.store.client.call('message.list', { threadId, limit: 10_000 });
  }

  send(input: SendInput, emit: (e: ChatEvent) => Promise<void>, signal: AbortSignal): Promise<{ message: Message; stats: ChatStats }> {
    return this.work ? this.work.interactive('chat', () => this.sendNow(input, emit, signal)) : this.sendNow(input, emit, signal);
  }

  private async sendNow(
    input: SendInput,
    emit: (e: ChatEvent) => Promise<void>,
    signal: AbortSignal,
  ): Promise<{ message: Message; stats: ChatStats }> {
    const stored = await this.history(input.threadId);
    // The thread's project is what budgets are checked against and what its usage is recorded under.
    const thread = await this.store.client.call('thread.get', { id: input.threadId });
    if (!thread) throw new EvolveError('NOT_FOUND', 'That thread no longer exists');
    const projectId = thread.projectId;
    const chat = stored.map(asChat).filter((m): m is ChatMessage => m !== null);
    let messages: ChatMessage[];
    let context: ResolvedContext | null = null;
    if (input.action === 'regenerate') {
      messages = regenerateMessages(chat);
      // The answer is regenerated with the context its question's mentions give now.
      context = await this.resolveContext(projectId, messages.at(-1)?.content ?? '', input);
      const firstAnswer = stored.slice(messages.length).find((m) => m.role === 'assistant');
      if (firstAnswer) await this.store.client.call('message.deleteFrom', { threadId: input.threadId, messageId: firstAnswer.id });
    } else {
      const text = input.text ?? '';
      context = await this.resolveContext(projectId, text, input);
      if (input.action === 'edit') {
        const index = stored.findIndex((m) => m.id === input.messageId);
        if (index < 0) throw new EvolveError('NOT_FOUND', 'That message is no longer in this thread');
        messages = editAndResendMessages(chat, index, text);
        await this.store.client.call('message.deleteFrom', { threadId: input.threadId, messageId: input.messageId ?? '' });
      } else {
        messages = sendMessages(chat, text, input.systemPrompt);
      }
      const user = await this.store.client.call('message.append', { threadId: input.threadId, role: 'user', content: text });
      await emit({ type: 'user-message', message: user });
    }
    if (input.systemPrompt && input.action !== 'send') messages = sendSystem(messages, input.systemPrompt);
    if (context) messages = withContextBlock(messages, context.block);
    // Mentioned files the injection detector flagged are on record before the model reads them.
    await auditInjectionFlags((ev) => this.store.client.call('audit.append', ev), 'chat', context?.context.injectionFlags ?? [], {
      threadId: input.threadId,
      ...(projectId ? { projectId } : {}),
    });
    const used = context?.context.items.length ? { context: context.context } : {};

    if (isRoutedModel(input.modelId)) return this.finishRouted(input, projectId, messages, emit, signal, used);
    const manager = await this.ai.manager();
    await manager.load(input.modelId, { signal });
    let truncated: ChatStats['truncated'];
    // Tokens merge while the page is behind (one pending string, not one queued send per token); a truncation notice,
    // which the engine reports before any token, goes out first.
    let notice: Promise<void> = Promise.resolve();
    const tokens = new CoalescingSender(async (text) => {
      await notice;
      await emit({ type: 'token', text });
    });
    const result = await this.ai.client.generate(
      {
        modelId: input.modelId,
        threadId: input.threadId,
        messages,
        sampling: { temperature: 0.7, maxTokens: 512, ...input.sampling },
        overflow: input.overflow ?? 'error',
      },
      {
        signal,
        onToken: (text) => tokens.push(text),
        onTruncated: (t) => {
          truncated = t;
          notice = emit({ type: 'truncated', ...t }).catch((e: unknown) => this.lostEvents(e));
        },
      },
    );
    await Promise.all([notice, tokens.flush().catch((e: unknown) => this.lostEvents(e))]);
    const stats: ChatStats = {
      modelId: input.modelId,
      stopReason: result.stopReason,
      usage: result.usage,
      ...(truncated ? { truncated } : {}),
      ...used,
    };
    const message = await this.store.client.call('message.append', {
      threadId: input.threadId,
      role: 'assistant',
      content: result.text,
      model: input.modelId,
      stats,
    });
    await this.store.client
      .call('usage.record', {
        projectId,
        provider: 'local',
        model: input.modelId,
        inputTokens: result.usage.evaluatedPromptTokens,
        outputTokens: result.usage.completionTokens,
        costUsd: 0,
        latencyMs: result.usage.totalMs,
      })
      .catch((e: unknown) => this.log('warn', `chat: usage of this turn was not recorded: ${e instanceof Error ? e.message : String(e)}`));
    return { message, stats };
  }

  /** Routed turns record their usage (and audit) inside the router; here only the answer is stored. */
  private async finishRouted(
    input: SendInput,
    projectId: string | null,
    messages: ChatMessage[],
    emit: (e: ChatEvent) => Promise<void>,
    signal: AbortSignal,
    used: Pick<ChatStats, 'context'> = {},
  ): Promise<{ message: Message; stats: ChatStats }> {
    if (!this.providers) throw new EvolveError('UNAVAILABLE', 'Providers are not available in this build');
    const tokens = new CoalescingSender((text) => emit({ type: 'token', text }));
    const onToken = (text: string) => tokens.push(text);
    const r = await routedTurn(this.providers, input.modelId, projectId, messages, input.sampling ?? {}, onToken, signal);
    await tokens.flush().catch((e: unknown) => this.lostEvents(e));
    const stats: ChatStats = { ...r.stats, ...used };
    const message = await this.store.client.call('message.append', {
      threadId: input.threadId,
      role: 'assistant',
      content: r.text,
      model: r.model,
      stats,
    });
    return { message, stats };
  }
}

/** A system prompt given with regenerate/edit replaces the stored one for this turn. */
function sendSystem(messages: ChatMessage[], systemPrompt: string): ChatMessage[] {
  return [{ role: 'system', content: systemPrompt }, ...messages.filter((m) => m.role !== 'system')];
}
