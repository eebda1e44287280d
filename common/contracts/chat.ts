// Contract for the `chat` domain: threads and messages in the encrypted store, streamed local generation
// (send, regenerate, edit-and-resend, stop), and full-text search over past conversations.
import { z } from 'zod';
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

export const ChatStatsSchema = z.object({
  modelId: z.string(),
  stopReason: StopReasonSchema,
  usage: UsageSchema,
  truncated: z.object({ droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() }).optional(),
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
});
