// Handlers for the `cluster` domain: profiles, connection test, training jobs (follow is batched) and monitoring.
// Every action that changes something passes the role guard first (s.clusterRoles; matrix in services/cluster/roles).
import { isTerminalStatus } from '../../common/cluster/ray';
import { isEvolveError } from '../../common/errors';
import { clusterContract, type FollowBatch } from '../../common/contracts/cluster';
import { collectJobResources } from '../services/cluster/job-resources';
import type { JobServiceEvent } from '../services/cluster/job-service';
import type { AppServices } from '../services';
import { implement } from './handlers';

/** Live events are gathered and sent at most this often, so a chatty job costs a few messages per second. */
export const FOLLOW_BATCH_MS = 250;
/** Log lines one pending batch holds while the page is behind (older ones are in the stored log). */
const MAX_PENDING_LINES = 5_000;

const emptyBatch = (): FollowBatch => ({ job: null, lines: [], metrics: [], events: [] });
/** Nodes per Ray submission for the job page's resources (they never change once launched); bounded, a few IPs each. */
const KNOWN_NODES_MAX = 1_000;
const knownNodes = new Map<string, string[]>();

export const clusterHandlers = (s: AppServices) =>
  implement(clusterContract, {
    profiles: () => s.cluster.profiles(),
    upsertProfile: async ({ profile, token }) => {
      // A new profile needs no role (its row starts as admin: its creator); changing an existing one needs admin.
      if ((await s.clusterRoles.roleOf(profile.id)) !== null) {
        if (token !== undefined) await s.clusterRoles.requireRole(profile.id, 'admin', 'profile.token');
        await s.clusterRoles.requireRole(profile.id, 'admin', 'profile.update');
      }
      return s.cluster.upsertProfile(profile, token);
    },
    removeProfile: async ({ id }) => {
      if ((await s.clusterRoles.roleOf(id)) === null) return { removed: false };
      await s.clusterRoles.requireRole(id, 'admin', 'profile.remove');
      return { removed: await s.cluster.removeProfile(id) };
    },
    // Signing in needs no role: it proves who the user is, and a role from claims then comes from the identity provider.
    authStatus: async ({ profileId }) => s.cluster.auth.status(await s.cluster.profile(profileId)),
    signIn: async ({ profileId }, ctx, sink) =>
      s.cluster.auth.signIn(await s.cluster.profile(profileId), (prompt) => void sink.emit(prompt).catch(() => undefined), ctx.signal),
    signOut: async ({ profileId }) => s.cluster.auth.signOut(await s.cluster.profile(profileId)),
    testConnection: ({ profileId }, ctx) => s.cluster.testConnection(profileId, ctx.signal),
    nodes: async ({ profileId }, ctx) => (await s.cluster.services(profileId)).ray.listNodes(ctx.signal),
    submit: async ({ profileId, name, config, launch, maxRestarts }, ctx) => {
      await s.clusterRoles.requireRole(profileId, 'operator', 'job.submit');
      const svc = await s.cluster.services(profileId);
      const job = await svc.jobs.submitTraining({ name, config, launch, maxRestarts }, ctx.signal);
      s.cluster.followInBackground(svc, job.id);
      return job;
    },
    jobs: async ({ profileId }) =>
      (await s.cluster.repo.summaries(profileId)).map((j) => ({
        id: j.id,
        profileId: j.profileId,
        name: j.name,
        status: j.status,
        restarts: j.restarts,
        createdAt: j.createdAt,
        updatedAt: j.updatedAt,
        lastStep: j.lastStep,
        lastLoss: j.lastLoss,
      })),
    job: async ({ jobId }) => {
      const job = await s.cluster.historyJob(jobId);
      return { job, metrics: await s.cluster.repo.getMetrics(jobId) };
    },
    logs: async ({ jobId, maxChars }) => {
      await s.cluster.historyJob(jobId);
      return (await s.cluster.repo.getLogs(jobId)).map((l) => ({ submissionId: l.submissionId, log: l.log.slice(-maxChars) }));
    },
    follow: async ({ jobId }, ctx, sink) => {
      let pending = emptyBatch();
      let dirty = false;
      const add = (e: JobServiceEvent) => {
        dirty = true;
        if (e.type === 'status') pending.job = e.job;
        else if (e.type === 'lines') {
          pending.lines.push(...e.lines);
          // A page that stopped acknowledging holds one batch, not an ever-growing one; the full log stays in the store.
          if (pending.lines.length > MAX_PENDING_LINES) pending.lines.splice(0, pending.lines.length - MAX_PENDING_LINES);
        } else if (e.type === 'metric') pending.metrics.push(e.point);
        else pending.events.push(e.event);
      };
      const { snapshot, unsubscribe } = await s.cluster.subscribe(jobId, add);
      // At most one batch in flight: while the page has not acknowledged it, new events merge into the pending batch
      // (backpressure reaches the source instead of a queue of sends growing without bound).
      let inFlight: Promise<void> | null = null;
      const send = (batch: FollowBatch) => {
        inFlight = sink
          .emit(batch)
          .catch(() => undefined)
          .finally(() => {
            inFlight = null;
          });
      };
      send(snapshot);
      const flush = () => {
        if (!dirty || inFlight) return;
        const batch = pending;
        pending = emptyBatch();
        dirty = false;
        send(batch);
      };
      const timer = setInterval(flush, FOLLOW_BATCH_MS);
      try {
        // A job left running when the app last closed gets its follower back (and with it, self-healing).
        const last = snapshot.job?.attempts.at(-1);
        if (snapshot.job && last && !isTerminalStatus(last.status))
          s.cluster.followInBackground(await s.cluster.services(snapshot.job.profileId), jobId);
        const final = await s.cluster.waitFinal(jobId, ctx.signal);
        // The follower stores the final log after the last status: give the last lines a moment to arrive.
        await new Promise((r) => setTimeout(r, FOLLOW_BATCH_MS));
        while (inFlight || dirty) {
          await inFlight;
          flush();
        }
        return (await s.cluster.repo.get(jobId)) ?? final;
      } finally {
        clearInterval(timer);
        unsubscribe();
      }
    },
    stop: async ({ jobId }, ctx) => {
      await s.clusterRoles.requireRoleForJob(jobId, 'operator', 'job.stop');
      const { s: svc } = await s.cluster.jobServicesFor(jobId);
      await svc.jobs.stop(jobId, ctx.signal);
      return svc.jobs.get(jobId);
    },
    resume: async ({ jobId }, ctx) => {
      await s.clusterRoles.requireRoleForJob(jobId, 'operator', 'job.resume');
      const { s: svc } = await s.cluster.jobServicesFor(jobId);
      const job = await svc.jobs.resume(jobId, ctx.signal);
      s.cluster.followInBackground(svc, job.id);
      return job;
    },
    overview: async ({ profileId, range }, ctx) => (await s.cluster.services(profileId)).monitoring.nodeOverview(range, ctx.signal),
    jobResources: async ({ jobId }, ctx) => {
      const job = await s.cluster.historyJob(jobId);
      const [logs, svc] = await Promise.all([
        s.cluster.repo.getLogs(jobId),
        // History outlives its profile; without the profile there is no Prometheus to ask.
        s.cluster.services(job.profileId).catch((e: unknown) => {
          if (isEvolveError(e) && e.code === 'NOT_FOUND') return null;
          throw e;
        }),
      ]);
      if (!svc)
        return { status: 'degraded' as const, source: 'prometheus' as const, reason: `The cluster profile ${job.profileId} is gone` };
      return collectJobResources({
        job,
        logs,
        monitoring: svc.monitoring,
        liveLog: (id) => svc.ray.getJobLogs(id, ctx.signal),
        known: knownNodes.size < KNOWN_NODES_MAX ? knownNodes : undefined,
        signal: ctx.signal,
      });
    },
    alerts: async ({ profileId }, ctx) => (await s.cluster.services(profileId)).monitoring.alerts(ctx.signal),
    acknowledge: async ({ profileId, labels, minutes }) => {
      await s.clusterRoles.requireRole(profileId, 'operator', 'alert.acknowledge');
      return { silenceId: await (await s.cluster.services(profileId)).monitoring.acknowledge({ labels }, { minutes }) };
    },
    unacknowledge: async ({ profileId, silenceId }) => {
      await s.clusterRoles.requireRole(profileId, 'operator', 'alert.unacknowledge');
      await (await s.cluster.services(profileId)).monitoring.unacknowledge(silenceId);
      return { removed: true };
    },
  });
