// Contract for the `cluster` domain: Ray cluster profiles, connection test, training jobs (submit, follow, stop,
// resume, history) and monitoring (node charts, alerts, acknowledge). Monitoring outages come back as `degraded`.
import { z } from 'zod';
import { JobRecordSchema, JobSummarySchema, MetricPointSchema, TrainingEventSchema } from '../cluster/job';
import { JobResourcesSchema } from '../cluster/job-resources';
import { AlertSchema, TimeRangeSchema } from '../cluster/monitoring';
import { AuthStatusSchema, ClusterAuthSchema, DeviceCodePromptSchema } from '../cluster/auth';
import { ClusterProfileSchema, TlsOptionsSchema } from '../cluster/profile';
import { RayNodeSchema } from '../cluster/ray';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

const ProfileId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only');
const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const Url = z.string().min(1).max(2048);

/** What the profile form sends; validated fully (URLs, TLS) by the service. The token never comes back. */
export const ProfileUpsertSchema = z
  .object({
    id: ProfileId,
    name: z.string().min(1).max(120),
    dashboardUrl: Url,
    prometheusUrl: Url.optional(),
    alertmanagerUrl: Url.optional(),
    tls: TlsOptionsSchema.optional(),
    requestTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** none, bearer (the token below) or OIDC device-code sign-in (issuer, client id, claim → role mapping). */
    auth: ClusterAuthSchema.optional(),
    /** Refuse to send a token to a non-loopback http:// URL (default true). */
    refuseTokenOverHttp: z.boolean().optional(),
  })
  .strict();

export const ConnectionInfoSchema = z.object({
  rayVersion: z.string(),
  apiVersion: z.string(),
  nodes: z.array(RayNodeSchema),
  aliveNodes: z.number().int().nonnegative(),
  totalResources: z.record(z.string(), z.number()),
});

export const SeriesSchema = z.object({
  label: z.string(),
  labels: z.record(z.string(), z.string()),
  points: z.array(z.object({ t: z.number(), v: z.number() })),
});

const degraded = z.object({ status: z.literal('degraded'), source: z.enum(['prometheus', 'alertmanager']), reason: z.string() });
const monitoring = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), data }), degraded]);

export const NodeOverviewSchema = monitoring(z.object({ metrics: z.record(z.string(), z.array(SeriesSchema)), hasGpu: z.boolean() }));
export const AlertsResultSchema = monitoring(z.array(AlertSchema));
export const JobResourcesResultSchema = monitoring(JobResourcesSchema);

/** One batch of a followed job: a status change (or null), new log lines, new metric points, training events. */
export const FollowBatchSchema = z.object({
  job: JobRecordSchema.nullable(),
  lines: z.array(z.string()),
  metrics: z.array(MetricPointSchema),
  events: z.array(TrainingEventSchema),
});
export type FollowBatch = z.infer<typeof FollowBatchSchema>;

export const clusterContract = defineDomain('cluster', {
  profiles: call({ input: EmptyInput, output: z.array(ClusterProfileSchema), doc: 'Cluster profiles (no tokens).' }),
  /** `token`: a string stores it in the keychain, null removes it, absent keeps it. */
  upsertProfile: call({
    input: z.object({ profile: ProfileUpsertSchema, token: z.string().min(1).max(8192).nullable().optional() }).strict(),
    output: ClusterProfileSchema,
    doc: 'Create or update a cluster profile.',
  }),
  removeProfile: call({
    input: z.object({ id: ProfileId }).strict(),
    output: z.object({ removed: z.boolean() }),
    doc: 'Remove a profile (its job history stays).',
  }),
  /** Who is signed in (never a token), until when, the role from claims, and the http:// URLs a token would go to. */
  authStatus: call({ input: z.object({ profileId: ProfileId }).strict(), output: AuthStatusSchema, doc: 'Sign-in state of a profile.' }),
  /** OIDC device-code sign-in: one event with the code and URL to show; ends signed in (cancel stops polling). */
  signIn: stream({
    input: z.object({ profileId: ProfileId }).strict(),
    event: DeviceCodePromptSchema,
    output: AuthStatusSchema,
    doc: 'Sign in to a cluster (OIDC device code).',
  }),
  signOut: call({ input: z.object({ profileId: ProfileId }).strict(), output: AuthStatusSchema, doc: 'Forget the sign-in (keychain).' }),
  /** Ray version, nodes and resources, from the dashboard. */
  testConnection: call({ input: z.object({ profileId: ProfileId }).strict(), output: ConnectionInfoSchema, doc: 'Test a connection.' }),
  nodes: call({ input: z.object({ profileId: ProfileId }).strict(), output: z.array(RayNodeSchema), doc: 'Ray nodes.' }),
  /** Uploads resources/training and submits a TrainingConfig; the job is followed (and self-healed) in the background. */
  submit: call({
    input: z
      .object({
        profileId: ProfileId,
        name: z.string().max(200).optional(),
        config: z.record(z.string(), z.unknown()),
        launch: z.record(z.string(), z.unknown()).optional(),
        maxRestarts: z.number().int().min(0).max(20).optional(),
      })
      .strict(),
    output: JobRecordSchema,
    doc: 'Submit a training job.',
  }),
  jobs: call({
    input: z.object({ profileId: ProfileId.optional() }).strict(),
    output: z.array(JobSummarySchema),
    doc: 'Job history (kept after the cluster is gone).',
  }),
  job: call({
    input: z.object({ jobId: JobId }).strict(),
    output: z.object({ job: JobRecordSchema, metrics: z.array(MetricPointSchema) }),
    doc: 'One job with its stored metrics.',
  }),
  logs: call({
    input: z.object({ jobId: JobId, maxChars: z.number().int().min(1).max(2_000_000).default(200_000) }).strict(),
    output: z.array(z.object({ submissionId: z.string(), log: z.string() })),
    doc: 'Stored logs per attempt (tail).',
  }),
  /** Live status, log lines and metric points of a job, batched; ends when the job is final. */
  follow: stream({
    input: z.object({ jobId: JobId }).strict(),
    event: FollowBatchSchema,
    output: JobRecordSchema,
    doc: 'Follow a job.',
  }),
  stop: call({ input: z.object({ jobId: JobId }).strict(), output: JobRecordSchema, doc: 'Stop a running job.' }),
  resume: call({ input: z.object({ jobId: JobId }).strict(), output: JobRecordSchema, doc: 'Resume from the last checkpoint.' }),
  overview: call({
    input: z.object({ profileId: ProfileId, range: TimeRangeSchema }).strict(),
    output: NodeOverviewSchema,
    doc: 'Node CPU/memory/disk/network (and GPU) series.',
  }),
  /** CPU/memory/GPU of the nodes each attempt ran on, over the attempt's life (from the profile's Prometheus). */
  jobResources: call({
    input: z.object({ jobId: JobId }).strict(),
    output: JobResourcesResultSchema,
    doc: 'Per-job resources over its life.',
  }),
  alerts: call({ input: z.object({ profileId: ProfileId }).strict(), output: AlertsResultSchema, doc: 'Alertmanager alerts.' }),
  acknowledge: call({
    input: z
      .object({
        profileId: ProfileId,
        labels: z.record(z.string().min(1).max(200), z.string().max(2000)).refine((l) => Object.keys(l).length > 0, 'needs labels'),
        minutes: z.number().int().min(1).max(43_200).default(120),
      })
      .strict(),
    output: z.object({ silenceId: z.string() }),
    doc: 'Acknowledge (silence) an alert.',
  }),
  unacknowledge: call({
    input: z.object({ profileId: ProfileId, silenceId: z.string().min(1).max(200) }).strict(),
    output: z.object({ removed: z.boolean() }),
    doc: 'Expire a silence.',
  }),
});
