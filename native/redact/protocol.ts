// Messages between main and the redaction worker: one preview request per id, answered with the preview or a typed error.
import { z } from 'zod';
import { ErrorInfoSchema } from '../../common/errors';
import { ChatMessageSchema } from '../../common/providers/types';
import { REDACTION_KINDS } from './patterns';

export const RedactRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  input: z.object({ messages: z.array(ChatMessageSchema).optional(), prompt: z.string().optional() }),
});
export type RedactRequest = z.infer<typeof RedactRequestSchema>;

const KindSchema = z.enum(REDACTION_KINDS);
export const SendPreviewSchema = z.object({
  messages: z.array(ChatMessageSchema).optional(),
  prompt: z.string().optional(),
  counts: z.partialRecord(KindSchema, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  items: z.array(z.object({ kind: KindSchema, placeholder: z.string() })),
});

export const RedactResponseSchema = z.object({
  id: z.number().int().nonnegative(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: SendPreviewSchema }),
    z.object({ ok: z.literal(false), error: ErrorInfoSchema }),
  ]),
});
export type RedactResponse = z.infer<typeof RedactResponseSchema>;
