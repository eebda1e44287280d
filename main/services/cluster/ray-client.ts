// Typed client for the Ray dashboard's REST API: version, nodes (state API), jobs, logs and working-dir packages.
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import {
  RayJobSchema,
  RayNodeSchema,
  RayVersionSchema,
  type ClusterConnectionInfo,
  type JobSubmitRequest,
  type RayJob,
  type RayNode,
  type RayVersion,
} from '../../../common/cluster/ray';
import { errorForStatus, httpRequest, jsonBody, pythonErrorMessage, type HttpRequest, type HttpTarget } from './http';
import { parseAnswer } from './parse';

const SubmitAnswerSchema = z.looseObject({ submission_id: z.string(), job_id: z.string().nullish() });
const StopAnswerSchema = z.looseObject({ stopped: z.boolean() });
const DeleteAnswerSchema = z.looseObject({ deleted: z.boolean() });
const LogsAnswerSchema = z.looseObject({ logs: z.string() });
// State API envelope: {"result": true, "msg": "", "data": {"result": {"result": [...], "total": n}}}.
const NodesAnswerSchema = z.looseObject({
  result: z.boolean(),
  msg: z.string().optional(),
  data: z.looseObject({ result: z.looseObject({ result: z.array(RayNodeSchema), total: z.number().optional() }) }),
});

export const PACKAGE_NAME_RE = /^_ray_pkg_[0-9a-f]{16,64}\.zip$/;
/** Ray's submission ids: keep them to a safe charset so they can go into URL paths unescaped. */
const SUBMISSION_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface RayClientOptions extends Omit<HttpTarget, 'serviceName'> {
  serviceName?: string;
}

export class RayClient {
  readonly target: HttpTarget;

  constructor(opts: RayClientOptions) {
    this.target = { serviceName: 'Ray dashboard', ...opts };
  }

  private async call(req: HttpRequest, what: string, okStatuses: number[] = [200]) {
    const res = await httpRequest(this.target, req);
    if (okStatuses.includes(res.status)) return res;
    const e = errorForStatus(this.target, res, what);
    // Ray answers some state conflicts with a 500 and a RuntimeError traceback (e.g. deleting a running job).
    const reason = pythonErrorMessage(res.text());
    if (res.status === 500 && reason && /non-terminal state|already exists/i.test(reason))
      throw new EvolveError('CONFLICT', `Ray refused ${what}: ${reason}`, e.details);
    throw e;
  }

  private async json<S extends z.ZodType>(req: HttpRequest, schema: S, what: string): Promise<z.output<S>> {
    const res = await this.call(req, what);
    return parseAnswer(schema, jsonBody(this.target, res, what), what);
  }

  async version(signal?: AbortSignal): Promise<RayVersion> {
    return this.json({ path: '/api/version', signal }, RayVersionSchema, 'the version request');
  }

  /**
   * All nodes (ALIVE and DEAD) from the state API; Ray keeps dead nodes listed for a while, which the UI shows.
   * `detail` is on because start_time_ms/end_time_ms are detail columns: without them a node killed an hour ago looks
   * like it died during every later job (diagnosis would blame it).
   */
  async listNodes(signal?: AbortSignal): Promise<RayNode[]> {
    const ans = await this.json(
      { path: '/api/v0/nodes', query: { limit: 10_000, detail: 'true' }, signal },
      NodesAnswerSchema,
      'the node list',
    );
    if (!ans.result) throw new EvolveError('UNAVAILABLE', `Ray could not list nodes: ${ans.msg ?? 'no reason given'}`);
    return ans.data.result.result;
  }

  /** Connection test for a profile: version, nodes and total resources of the ALIVE nodes. */
  async connectionTest(signal?: AbortSignal): Promise<ClusterConnectionInfo> {
    const version = await this.version(signal);
    const nodes = await this.listNodes(signal);
    const alive = nodes.filter((n) => n.state === 'ALIVE');
    const totalResources: Record<string, number> = {};
    for (const n of alive) for (const [k, v] of Object.entries(n.resources_total)) totalResources[k] = (totalResources[k] ?? 0) + v;
    return { rayVersion: version.ray_version, apiVersion: version.version, nodes, aliveNodes: alive.length, totalResources };
  }

  async listJobs(signal?: AbortSignal): Promise<RayJob[]> {
    return this.json({ path: '/api/jobs/', signal }, z.array(RayJobSchema), 'the job list');
  }

  async getJob(id: string, signal?: AbortSignal): Promise<RayJob> {
    return this.json({ path: `/api/jobs/${checkId(id)}`, signal }, RayJobSchema, `job ${id}`);
  }

  /** POST /api/jobs/ — the trailing slash matters (without it aiohttp answers 404/405). */
  async submitJob(req: JobSubmitRequest, signal?: AbortSignal): Promise<{ submissionId: string; jobId: string | null }> {
    if (!req.entrypoint.trim()) throw new EvolveError('INVALID_ARGUMENT', 'The entrypoint is empty');
    if (req.submission_id !== undefined) checkId(req.submission_id);
    const ans = await this.json(
      { method: 'POST', path: '/api/jobs/', body: JSON.stringify(req), signal },
      SubmitAnswerSchema,
      'the job submission',
    );
    return { submissionId: ans.submission_id, jobId: ans.job_id ?? null };
  }

  async stopJob(id: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.json({ method: 'POST', path: `/api/jobs/${checkId(id)}/stop`, signal }, StopAnswerSchema, `stopping job ${id}`))
      .stopped;
  }

  /** Only terminal jobs can be deleted; Ray answers 400 otherwise (→ INVALID_ARGUMENT with its message). */
  async deleteJob(id: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.json({ method: 'DELETE', path: `/api/jobs/${checkId(id)}`, signal }, DeleteAnswerSchema, `deleting job ${id}`))
      .deleted;
  }

  async getJobLogs(id: string, signal?: AbortSignal): Promise<string> {
    return (await this.json({ path: `/api/jobs/${checkId(id)}/logs`, signal }, LogsAnswerSchema, `the logs of job ${id}`)).logs;
  }

  /** True when the GCS already holds this package (content-addressed, so an upload can be skipped). */
  async packageExists(name: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.call({ path: `/api/packages/gcs/${checkPackage(name)}`, signal }, `package ${name}`, [200, 404]);
    return res.status === 200;
  }

  async uploadPackage(name: string, zip: Buffer, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    await this.call(
      {
        method: 'PUT',
        path: `/api/packages/gcs/${checkPackage(name)}`,
        body: zip,
        contentType: 'application/zip',
        signal: opts.signal,
        // Uploads take longer than a status call; scale the timeout with the size (≥ 1 MiB/s).
        timeoutMs: opts.timeoutMs ?? Math.max(this.target.timeoutMs ?? 15_000, 30_000 + zip.length / 1024),
      },
      `uploading package ${name}`,
    );
  }
}

function checkId(id: string): string {
  if (!SUBMISSION_ID_RE.test(id))
    throw new EvolveError('INVALID_ARGUMENT', `Not a valid Ray job or submission id: ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

function checkPackage(name: string): string {
  if (!PACKAGE_NAME_RE.test(name))
    throw new EvolveError('INVALID_ARGUMENT', `Not a Ray package name (_ray_pkg_<hex>.zip): ${name.slice(0, 80)}`);
  return name;
}
