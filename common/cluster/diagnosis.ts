// Failed-job diagnosis: the evidence collected around a failure, the failure classes, and the diagnosis with its fixes.
import { z } from 'zod';
import { TrainingEventSchema } from './job';

/**
 * What went wrong, most specific first. Rules decide the class; the local model only explains it.
 * GPU-only classes (cuda-oom, nccl-timeout, gpu-xid) are tested on verbatim public log excerpts here.
 */
export const FailureClassSchema = z.enum([
  'host-oom', // kernel / cgroup OOM killer, or Ray's memory monitor killing a worker
  'cuda-oom', // torch.OutOfMemoryError / "CUDA out of memory"
  'nccl-timeout', // NCCL or gloo collective timeout / watchdog
  'gpu-xid', // NVIDIA XID error (driver-reported GPU fault)
  'node-lost', // a Ray node died or became unreachable during the job
  'disk-full', // ENOSPC / "No space left on device"
  'data-loader', // DataLoader worker crash, missing / corrupt data files
  'bad-config', // the job's configuration was rejected before training started
  'python-exception', // an exception raised in the training code (file:line known)
  'unknown',
]);
export type FailureClass = z.infer<typeof FailureClassSchema>;

/** One node metric series around the failure (Prometheus), e.g. memory available or disk free on a node. */
export const NodeMetricSeriesSchema = z.object({
  name: z.string(),
  node: z.string().nullable(),
  points: z.array(z.object({ t: z.number(), v: z.number() })),
});
export type NodeMetricSeries = z.infer<typeof NodeMetricSeriesSchema>;

/** Everything the classifier looks at; collected when a job (attempt) fails. All parts but status are optional. */
export const FailureEvidenceSchema = z.object({
  /** Ray job status of the failed attempt (FAILED, STOPPED…). */
  status: z.string(),
  /** Ray's message for the attempt (driver exit code, "Job supervisor actor died"…). */
  message: z.string().nullable().default(null),
  /** The last lines of the job's log (driver + workers as Ray returns them), oldest first. */
  logTail: z.array(z.string()).default([]),
  /** `evolve_event` lines the trainer emitted (launch, checkpoint, error…). */
  events: z.array(TrainingEventSchema).default([]),
  /** Ray nodes seen around the failure; a node that died during the job points at node-lost. */
  nodes: z.array(z.object({ nodeId: z.string(), alive: z.boolean(), deathReason: z.string().nullable().default(null) })).default([]),
  /** Node metrics around the failure time (may be empty when the profile has no Prometheus). */
  metrics: z.array(NodeMetricSeriesSchema).default([]),
});
export type FailureEvidence = z.infer<typeof FailureEvidenceSchema>;
export type FailureEvidenceInput = z.input<typeof FailureEvidenceSchema>;

/** A fix the app itself can perform, offered as a button. */
export const FixActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resume'), label: z.string() }),
  /** Resubmit with a smaller per-device batch and more gradient accumulation (same effective batch). */
  z.object({
    kind: z.literal('smaller-batch'),
    label: z.string(),
    batchSize: z.number().int().positive(),
    gradAccumulation: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('fewer-nodes'), label: z.string(), numWorkers: z.number().int().positive() }),
  /** Prune old checkpoints (keep newest K and best) to free disk, then resume. */
  z.object({ kind: z.literal('free-disk'), label: z.string(), keepLast: z.number().int().positive() }),
  /** Open the training wizard on the job's config (nothing automatic is safe for a bad config). */
  z.object({ kind: z.literal('edit-config'), label: z.string() }),
]);
export type FixAction = z.infer<typeof FixActionSchema>;

export const DiagnosisSchema = z.object({
  class: FailureClassSchema,
  /** 0..1: how sure the rules are (1 = an unambiguous marker line). */
  confidence: z.number().min(0).max(1),
  /** One sentence the user reads first. */
  summary: z.string(),
  /** The log lines (or facts) that decided the class, with their index in logTail when they are log lines. */
  evidence: z.array(z.object({ line: z.number().int().nullable(), text: z.string() })),
  /** Where in the training code, for python-exception (and data-loader when known). */
  location: z.object({ file: z.string(), line: z.number().int().positive() }).nullable(),
  fixes: z.array(FixActionSchema),
  /** The local model's short explanation; null when no model ran (or it was not available). */
  explanation: z.string().nullable(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
