// The project side of chat for one thread: the `@` autocomplete and "Apply to file…" proposals, both for the
// thread's project (a thread without one gets a clear INVALID_ARGUMENT).
import type { FileDiff } from '../../../common/codegen/types';
import type { MentionOptions } from '../../../common/contracts/chat';
import { EvolveError } from '../../../common/errors';
import type { StoreService } from '../store/store-service';
import { proposeApplyToFile, type ApplyToFileDeps } from './apply-to-file';
import type { MentionResolver } from './mention-context';

/** The store calls this needs (the StoreService's client, or a test's). */
type ThreadStore = Pick<StoreService['client'], 'call'>;

export class ProjectChat {
  constructor(
    private readonly store: ThreadStore,
    private readonly mentions: MentionResolver,
    private readonly workspace: ApplyToFileDeps,
  ) {}

  private async projectOf(threadId: string, what: string): Promise<string> {
    const thread = await this.store.call('thread.get', { id: threadId });
    if (!thread) throw new EvolveError('NOT_FOUND', 'That thread no longer exists');
    if (!thread.projectId)
      throw new EvolveError(
        'INVALID_ARGUMENT',
        `This thread has no project, so there is nothing to ${what}. Start a thread from a project.`,
      );
    return thread.projectId;
  }

  async mentionOptions(threadId: string, query: string, limit?: number): Promise<MentionOptions> {
    return this.mentions.options(await this.projectOf(threadId, 'mention'), query, limit);
  }

  /** The generation for one code block of an answer (messageId) and one target path; nothing is written. */
  async proposeApply(input: {
    threadId: string;
    path: string;
    code: string;
    lang?: string;
    messageId?: string;
  }): Promise<{ generationId: string; projectId: string; diff: FileDiff[] }> {
    const projectId = await this.projectOf(input.threadId, 'apply to');
    let model = 'chat';
    let question = '';
    if (input.messageId) {
      const messages = await this.store.call('message.list', { threadId: input.threadId, limit: 10_000 });
      const i = messages.findIndex((m) => m.id === input.messageId);
      if (i < 0) throw new EvolveError('NOT_FOUND', 'That answer is no longer in this thread');
      model = messages[i]!.model ?? model;
      // The question the answer replied to is the generation's request (it becomes searchable experience).
      question = messages.slice(0, i).findLast((m) => m.role === 'user')?.content ?? '';
    }
    const request = `Apply a chat answer's code block to ${input.path}${question ? `\n\n${question}` : ''}`;
    const r = await proposeApplyToFile(this.workspace, { projectId, path: input.path, code: input.code, lang: input.lang, request, model });
    return { ...r, projectId };
  }
}
