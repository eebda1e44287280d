// Contract for the `doctor` domain: checks of every real component the app relies on, each with a fix hint.
import { z } from 'zod';
import { call, defineDomain, stream } from './define';

export const CheckStatusSchema = z.enum(['ok', 'warn', 'fail', 'skip']);

export const DoctorCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: CheckStatusSchema,
  /** What was found (a version, a path, a backend name). */
  detail: z.string(),
  /** How to fix it when status is warn/fail. */
  hint: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  checks: z.array(DoctorCheckSchema),
  summary: z.object({ ok: z.number().int(), warn: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
  finishedAt: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export const DoctorRunInput = z
  .object({
    /** Only run these check ids (all when omitted). */
    only: z.array(z.string().min(1).max(64)).max(64).optional(),
  })
  .strict();

export const DoctorProgressSchema = z.object({
  index: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  check: DoctorCheckSchema,
});

export const doctorContract = defineDomain('doctor', {
  /** Runs every check; each finished check is streamed as progress; cancel stops between checks. */
  run: stream({ input: DoctorRunInput, event: DoctorProgressSchema, output: DoctorReportSchema, doc: 'Run the environment checks.' }),
  /** The ids and labels of all checks, for the UI to show before running. */
  list: call({
    input: z.object({}).strict(),
    output: z.array(z.object({ id: z.string(), label: z.string() })),
    doc: 'List the available checks.',
  }),
});
