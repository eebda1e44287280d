// Request schema and options of the benchmark harness (before vs after on fresh inputs, interleaved, fresh processes).
import { z } from 'zod';
import { CodeVersionSchema, InputGeneratorSchema } from '../../../../common/perf/types';
import type { SandboxSupport } from '../../codegen/sandbox';

export const BenchRequestSchema = z
  .object({
    before: CodeVersionSchema,
    after: CodeVersionSchema,
    inputs: InputGeneratorSchema,
    /** Paired repeats per size (each pair: one fresh process for before, one for after, on the same fresh input). */
    repeats: z.number().int().min(3).max(50).default(7),
    /** Warm-up batches timed and discarded inside each process, after the calibration calls. */
    warmup: z.number().int().min(0).max(10).default(1),
    /** The speed-up the whole interval must clear for 'faster' (1.1 = at least 10 %). */
    threshold: z.number().min(1).max(100).default(1.1),
  })
  .strict()
  .refine((r) => r.before.language === r.after.language, {
    message: 'before and after must be in the same language',
    path: ['after', 'language'],
  });
export type BenchRequestInput = z.input<typeof BenchRequestSchema>;
export type BenchRequest = z.output<typeof BenchRequestSchema>;

export interface BenchProgress {
  n: number;
  /** 1-based repeat just finished at this size. */
  repeat: number;
  repeats: number;
  /** Pairs finished over all sizes, and how many there are. */
  done: number;
  total: number;
}

export interface BenchOptions {
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
  /** Wall-clock budget of the whole benchmark; TIMEOUT when it runs out. Default 10 minutes. */
  budgetMs?: number;
  /** Target length of one timed batch of calls; calibrated per process. Default 50 ms. */
  batchMs?: number;
  /** Timed batches per process (their median is the repeat's seconds per call). Default 3. */
  values?: number;
  /**
   * What a call's time is. 'cpu' (default): the process's CPU time (user + system), which other load on the machine
   * (a local model generating, other jobs) does not inflate, but which does not see waits (sleep, I/O not in the page
   * cache); async JS functions are always timed by the wall clock. 'wall': wall-clock time, for code whose gain is in
   * waiting less (concurrency, batching I/O); noisy on a busy machine.
   */
  clock?: 'cpu' | 'wall';
  /** Base seed: repeat r of size i gets input seed `seed + 1000·i + r` (the same for before and after). Default 1. */
  seed?: number;
  /** Injected for tests: another tools venv or sandbox support report. */
  toolsDir?: string;
  support?: SandboxSupport;
}

/** One repeat's outcome as the driver reports it. */
export const DriverResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    secPerCall: z.number().positive(),
    values: z.array(z.number()),
    loops: z.number().int().positive(),
    clock: z.enum(['cpu', 'wall']),
    tool: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    phase: z.enum(['setup', 'input', 'import', 'call', 'clock']),
    error: z.string(),
    trace: z.string().optional(),
  }),
]);
export type DriverResult = z.infer<typeof DriverResultSchema>;
