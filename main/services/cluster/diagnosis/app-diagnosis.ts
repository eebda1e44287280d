// Wires the diagnosis service into the app: AppCluster's jobs and clients, the encrypted store, the audit log.
import type { StoreService } from '../../store/store-service';
import type { AppCluster } from '../app-cluster';
import { PrometheusClient } from '../prometheus-client';
import { StoreAuditSink } from '../store-job-repository';
import { DiagnosisService } from './diagnosis-service';
import type { Explainer } from './explain';

export interface AppDiagnosisOptions {
  cluster: AppCluster;
  store: StoreService;
  explain?: Explainer;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

/** The service plus its subscription to every job's status (a FAILED attempt is diagnosed as soon as Ray says so). */
export function createAppDiagnosis(o: AppDiagnosisOptions): { service: DiagnosisService; dispose: () => void } {
  const service = new DiagnosisService({
    store: {
      put: async (d) => void (await o.store.client.call('diagnosis.put', d)),
      list: (jobId) => o.store.client.call('diagnosis.list', { jobId }),
    },
    cluster: {
      job: (jobId) => o.cluster.historyJob(jobId),
      storedLog: async (jobId, submissionId) => (await o.cluster.repo.getLogs(jobId)).find((l) => l.submissionId === submissionId)?.log,
      clients: async (profileId) => {
        const s = await o.cluster.services(profileId);
        // Prometheus sits behind the same gateway as the dashboard: same TLS settings and token (as in createClusterServices).
        const { serviceName: _name, ...target } = s.ray.target;
        const prometheus = s.profile.prometheusUrl ? new PrometheusClient({ ...target, baseUrl: s.profile.prometheusUrl }) : undefined;
        return { ray: s.ray, jobs: s.jobs, prometheus };
      },
      follow: (profileId, jobId) => {
        o.cluster
          .services(profileId)
          .then((s) => o.cluster.followInBackground(s, jobId))
          .catch(() => undefined);
      },
    },
    audit: new StoreAuditSink(o.store, (m) => o.log('warn', m)),
    explain: o.explain,
    log: (level, msg) => o.log(level, `diagnosis: ${msg}`),
  });
  const unsubscribe = o.cluster.watchJobs((e) => {
    if (e.type === 'status' && o.store.ready) service.onJobStatus(e.job);
  });
  return { service, dispose: unsubscribe };
}
