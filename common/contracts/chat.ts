// Contract for the `chat` domain: threads and messages in the encrypted store, streamed local generation
// (send, regenerate, edit-and-resend, stop), and full-text search over past conversations.
import { InjectionFlagSchema } from '../security/injection';
import { z } from 'zod';
import { FileDiffSchema } from '../codegen/types';
import { OverflowPolicySchema, SamplingSettingsSchema, StopReasonSchema, UsageSchema } from '../inference/engine';
import { MessageSchema, SearchHitSchema, ThreadSchema } from '../store/rows';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

const Id = z.string().min(1).max(200);

export const ChatSendInput = z
  .object({
    threadId: Id,
    modelId: z.string().min(1).max(512),
    action: z.enum(['send', 'regenerate', 'edit']),
    /** The user's text (send, edit). */
    text: z.string().max(1_000_000).optional(),
    /** The user message to replace (edit). */
    messageId: Id.optional(),
    systemPrompt: z.string().max(100_000).optional(),
    sampling: SamplingSettingsSchema.partial().optional(),
    /** 'error' (default) refuses a prompt that does not fit; 'truncate-oldest' drops old messages and says so. */
    overflow: OverflowPolicySchema.optional(),
    /** Token budget for the project context of @file / @symbol / @project mentions (default 2000). */
    contextTokens: z.number().int().min(100).max(100_000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.action !== 'regenerate' && !v.text?.trim()) ctx.addIssue({ code: 'custom', path: ['text'], message: 'text is required' });
    if (v.action === 'edit' && !v.messageId) ctx.addIssue({ code: 'custom', path: ['messageId'], message: 'messageId is required' });
  });

export const ChatEventSchema = z.discriminatedUnion('type', [
  /** The user message as stored (send/edit), so the page shows it with its real id at once. */
  z.object({ type: z.literal('user-message'), message: MessageSchema }),
  z.object({ type: z.literal('token'), text: z.string() }),
  z.object({ type: z.literal('truncated'), droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;

/** One piece of project context a turn used (from an @file, @symbol or @project mention), shown under the answer. */
export const ChatContextItemSchema = z.object({
  source: z.enum(['file', 'symbol', 'project', 'repo-map']),
  rel: z.string(),
  startLine: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  /** The symbol a @symbol mention named. */
  symbol: z.string().optional(),
  /** Only part of the file fit the budget. */
  trimmed: z.boolean().optional(),
});
export type ChatContextItem = z.infer<typeof ChatContextItemSchema>;
export const ChatContextSchema = z.object({
  items: z.array(ChatContextItemSchema),
  tokens: z.number().int().nonnegative(),
  /** Mentioned files or chunks the prompt-injection detector flagged (they went in marked, with a warning). */
  injectionFlags: z.array(InjectionFlagSchema).max(50).optional(),
});
export type ChatContext = z.infer<typeof ChatContextSchema>;

/** What the composer's `@` autocomplete offers for a project: indexed file paths and defined symbols. */
export const MentionOptionsSchema = z.object({
  files: z.array(z.string()),
  symbols: z.array(z.object({ name: z.string(), rel: z.string(), line: z.number().int(), kind: z.string() })),
});
export type MentionOptions = z.infer<typeof MentionOptionsSchema>;

export const ChatStatsSchema = z.object({
  modelId: z.string(),
  stopReason: StopReasonSchema,
  usage: UsageSchema,
  truncated: z.object({ droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() }).optional(),
  /** The project context the turn's mentions added to the prompt. */
  context: ChatContextSchema.optional(),
});
export type ChatStats = z.infer<typeof ChatStatsSchema>;

export const chatContract = defineDomain('chat', {
  threads: call({ input: EmptyInput, output: z.array(ThreadSchema), doc: 'List threads, newest first.' }),
  /** A thread may belong to a project: its routed turns then count against that project's budget. */
  createThread: call({
    input: z.object({ title: z.string().max(200).optional(), projectId: Id.nullable().optional() }).strict(),
    output: ThreadSchema,
    doc: 'New thread.',
  }),
  renameThread: call({ input: z.object({ threadId: Id, title: z.string().max(200) }).strict(), output: ThreadSchema, doc: 'Rename.' }),
  deleteThread: call({ input: z.object({ threadId: Id }).strict(), output: z.object({ deleted: z.boolean() }), doc: 'Delete a thread.' }),
  messages: call({ input: z.object({ threadId: Id }).strict(), output: z.array(MessageSchema), doc: 'Messages of a thread.' }),
  /** One turn: streams tokens; the final result is the stored assistant message with its stats. Cancel = stop. */
  send: stream({
    input: ChatSendInput,
    event: ChatEventSchema,
    output: z.object({ message: MessageSchema, stats: ChatStatsSchema }),
    doc: 'Generate an answer.',
  }),
  search: call({
    input: z.object({ query: z.string().min(1).max(500) }).strict(),
    output: z.array(SearchHitSchema),
    doc: 'Full-text search over messages and generations.',
  }),
  mentionOptions: call({
    input: z.object({ threadId: Id, query: z.string().max(500), limit: z.number().int().positive().max(200).optional() }).strict(),
    output: MentionOptionsSchema,
    doc: "The `@` autocomplete: the thread's project files and symbols matching the query (INVALID_ARGUMENT without a project).",
  }),
  /**
   * "Apply to file…": stores the code block as a codegen generation (kind 'edit') whose diff is made against the
   * file's current bytes; the page shows the diff and applies it with workspace.applyGeneration (gate, checkpoint, audit).
   */
  proposeApply: call({
    input: z
      .object({
        threadId: Id,
        path: z.string().min(1).max(4096),
        code: z.string().min(1).max(1_000_000),
        /** The fence's language tag, used when the path's extension says nothing. */
        lang: z.string().max(50).optional(),
        messageId: Id.optional(),
      })
      .strict(),
    output: z.object({ generationId: z.string(), projectId: z.string(), diff: z.array(FileDiffSchema) }),
    doc: 'Turn a code block of an answer into a reviewable generation for one project file; nothing is written.',
  }),
});
