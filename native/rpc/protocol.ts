// Wire protocol between main (supervisor) and a worker process: requests, stream events, cancel, results.
import { z } from 'zod';
import { ErrorInfoSchema } from '../../common/errors';

export const WorkerRequestSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1),
  params: z.unknown(),
});
export const WorkerCancelSchema = z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() });
export const ParentToWorkerSchema = z.discriminatedUnion('t', [WorkerRequestSchema, WorkerCancelSchema]);
export type ParentToWorker = z.infer<typeof ParentToWorkerSchema>;

export const WorkerToParentSchema = z.discriminatedUnion('t', [
  /** Sent once when the worker is ready to take requests; `info` is worker-specific (backend, versions). */
  z.object({ t: z.literal('ready'), info: z.unknown() }),
  /** The final answer to request `id`. */
  z.object({
    t: z.literal('res'),
    id: z.number().int().nonnegative(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ErrorInfoSchema }),
    ]),
  }),
  /** A stream event for request `id` (tokens, progress). */
  z.object({ t: z.literal('event'), id: z.number().int().nonnegative(), data: z.unknown() }),
  z.object({
    t: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    msg: z.string(),
    data: z.unknown().optional(),
  }),
]);
export type WorkerToParent = z.infer<typeof WorkerToParentSchema>;
