// Entry point of the cluster services: builds the clients and services for one cluster profile (token via getSecret).
import { EvolveError } from '../../../common/errors';
import { authModeOf, ClusterProfileSchema, type ClusterProfile, type ClusterProfileInput } from '../../../common/cluster/profile';
import type { ClusterAuth } from './auth/cluster-auth';
import { AlertmanagerClient } from './alertmanager-client';
import type { AuditSink } from './audit';
import { JobService } from './job-service';
import type { JobRepository } from './job-repository';
import { MonitoringService } from './monitoring-service';
import type { Notifier } from './notifier';
import type { PackageOptions } from './packaging';
import { PrometheusClient } from './prometheus-client';
import { RayClient } from './ray-client';
import { tailJobLogs } from './ray-log-tail';

export { AlertmanagerClient, JobService, MonitoringService, PrometheusClient, RayClient, tailJobLogs };
export type { AuditSink, JobRepository, Notifier };

/** Keychain account under which a profile's bearer token is kept. */
export const clusterTokenAccount = (profileId: string): string => `cluster:${profileId}:token`;

export interface ClusterDeps {
  /** Reads a secret from the keychain (the store helper provides it); undefined when absent. */
  getSecret: (account: string) => Promise<string | undefined>;
  repo: JobRepository;
  audit: AuditSink;
  notifier?: Notifier;
  trainingDir: string;
  packageOptions?: PackageOptions;
  log?: (level: 'warn', msg: string) => void;
  /** OIDC sign-in (access token per request, refreshed before it lapses) and the token-over-http audit; needed for oidc profiles. */
  auth?: ClusterAuth;
}

export interface ClusterServices {
  profile: ClusterProfile;
  ray: RayClient;
  jobs: JobService;
  monitoring: MonitoringService;
}

export function parseProfile(input: unknown): ClusterProfile {
  const r = ClusterProfileSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `Invalid cluster profile${i?.path.length ? ` (${i.path.join('.')})` : ''}: ${i?.message ?? ''}`,
    );
  }
  return r.data;
}

/** Everything one profile needs; the token is read per request, so rotating it in the keychain needs no rebuild. */
export function createClusterServices(profileInput: ClusterProfileInput, deps: ClusterDeps): ClusterServices {
  const profile = parseProfile(profileInput);
  const mode = authModeOf(profile);
  const auth = deps.auth;
  if (mode === 'oidc' && !auth) throw new EvolveError('INTERNAL', 'OIDC sign-in is not wired for cluster profiles');
  const getToken =
    mode === 'oidc' && auth
      ? () => auth.accessToken(profile)
      : mode === 'bearer'
        ? async () => {
            const t = await deps.getSecret(clusterTokenAccount(profile.id));
            if (!t)
              throw new EvolveError('UNAUTHENTICATED', `Cluster profile "${profile.name}" expects a token, but none is in the keychain`);
            return t;
          }
        : undefined;
  const common = {
    tls: profile.tls,
    timeoutMs: profile.requestTimeoutMs,
    getToken,
    refuseTokenOverHttp: profile.refuseTokenOverHttp,
    onTokenOverHttp: (verdict: 'http-refused' | 'http-allowed', origin: string) => {
      deps.log?.(
        'warn',
        `cluster profile ${profile.id}: token ${verdict === 'http-refused' ? 'held back from' : 'sent over'} plain http to ${origin}`,
      );
      auth?.tokenOverHttp(profile.id, verdict, origin);
    },
  };
  const ray = new RayClient({ baseUrl: profile.dashboardUrl, ...common });
  const jobs = new JobService({
    profileId: profile.id,
    client: ray,
    tail: (id, opts) => tailJobLogs(ray.target, id, opts),
    repo: deps.repo,
    audit: deps.audit,
    notifier: deps.notifier,
    trainingDir: deps.trainingDir,
    packageOptions: deps.packageOptions,
    log: deps.log,
  });
  // Prometheus and Alertmanager usually sit behind the same gateway; they get the same TLS settings and token.
  const monitoring = new MonitoringService({
    prometheus: profile.prometheusUrl ? new PrometheusClient({ baseUrl: profile.prometheusUrl, ...common }) : undefined,
    alertmanager: profile.alertmanagerUrl ? new AlertmanagerClient({ baseUrl: profile.alertmanagerUrl, ...common }) : undefined,
    audit: deps.audit,
    profileId: profile.id,
  });
  return { profile, ray, jobs, monitoring };
}
