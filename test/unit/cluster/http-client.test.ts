// The HTTP layer and RayClient against a local in-process server: bearer token, status → typed error, timeouts, bad bodies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonErrorMessage } from '../../../main/services/cluster/http';
import { RayClient } from '../../../main/services/cluster/ray-client';

type Handler = (req: http.IncomingMessage, body: string) => { status: number; body: string; delayMs?: number };
let handler: Handler = () => ({ status: 200, body: '{}' });
const seen: { method: string; url: string; auth?: string; body: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const r = handler(req, body);
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.body);
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const TRACEBACK = `Traceback (most recent call last):
  File "job_head.py", line 500, in delete_job
RuntimeError: Request failed with status code 500: Traceback (most recent call last):
  File "job_manager.py", line 655, in delete_job
RuntimeError: Attempted to delete job 'x', but it is in a non-terminal state RUNNING.
.`;

describe('RayClient over HTTP', () => {
  it('sends the bearer token from getToken on every call, and none without one', async () => {
    handler = () => ({ status: 200, body: JSON.stringify({ version: '4', ray_version: '2.60.0' }) });
    seen.length = 0;
    await new RayClient({ baseUrl: base, getToken: async () => 'tok-123' }).version();
    await new RayClient({ baseUrl: base }).version();
    expect(seen.map((s) => s.auth)).toEqual(['Bearer tok-123', undefined]);
  });

  it('posts jobs to /api/jobs/ with the trailing slash and the request as JSON', async () => {
    handler = () => ({ status: 200, body: JSON.stringify({ submission_id: 's1', job_id: null }) });
    seen.length = 0;
    const r = await new RayClient({ baseUrl: `${base}/` }).submitJob({
      entrypoint: 'python x.py',
      submission_id: 's1',
      runtime_env: { working_dir: 'gcs://_ray_pkg_0123456789abcdef.zip' },
    });
    expect(r).toEqual({ submissionId: 's1', jobId: null });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/jobs/' });
    expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({
      entrypoint: 'python x.py',
      runtime_env: { working_dir: 'gcs://_ray_pkg_0123456789abcdef.zip' },
    });
  });

  it.each([
    [400, 'ValueError: bad runtime_env', 'INVALID_ARGUMENT', /bad runtime_env/],
    [401, 'Unauthorized: Missing authentication token', 'UNAUTHENTICATED', /needs a token/],
    [403, 'Forbidden: Invalid authentication token', 'UNAUTHENTICATED', /refused the token/],
    [404, 'Job x does not exist', 'NOT_FOUND', /not found \(Job x does not exist\)/],
    [500, TRACEBACK, 'CONFLICT', /Attempted to delete job 'x', but it is in a non-terminal state RUNNING$/],
    [500, 'Traceback\nKeyError: boom', 'INTERNAL', /HTTP 500\): boom/],
    [503, 'down', 'UNAVAILABLE', /unavailable \(503\)/],
  ])('HTTP %i → %s', async (status, body, code, msg) => {
    handler = () => ({ status, body });
    await expect(new RayClient({ baseUrl: base }).deleteJob('x')).rejects.toMatchObject({ code, message: expect.stringMatching(msg) });
  });

  it('a schema mismatch or non-JSON answer is CORRUPT', async () => {
    handler = () => ({ status: 200, body: JSON.stringify({ version: 4 }) });
    await expect(new RayClient({ baseUrl: base }).version()).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('version'),
    });
    handler = () => ({ status: 200, body: '<html>login</html>' });
    await expect(new RayClient({ baseUrl: base }).listJobs()).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('is the URL right'),
    });
  });

  it('times out with TIMEOUT and cancels with CANCELLED', async () => {
    handler = () => ({ status: 200, body: '[]', delayMs: 1500 });
    await expect(new RayClient({ baseUrl: base, timeoutMs: 200 }).listJobs()).rejects.toMatchObject({ code: 'TIMEOUT' });
    const ctl = new AbortController();
    const p = new RayClient({ baseUrl: base }).listJobs(ctl.signal);
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('checks ids and package names before any request', async () => {
    seen.length = 0;
    const c = new RayClient({ baseUrl: base });
    await expect(c.getJob('../x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(c.packageExists('evil.zip')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(c.submitJob({ entrypoint: '  ' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(seen).toEqual([]);
  });

  it('packageExists maps 200/404 to true/false', async () => {
    handler = (req) => ({ status: req.url?.includes('aaaa') ? 200 : 404, body: '' });
    const c = new RayClient({ baseUrl: base });
    expect(await c.packageExists(`_ray_pkg_${'a'.repeat(40)}.zip`)).toBe(true);
    expect(await c.packageExists(`_ray_pkg_${'b'.repeat(40)}.zip`)).toBe(false);
  });

  it('a missing CA file is a clear INVALID_ARGUMENT', async () => {
    await expect(
      new RayClient({ baseUrl: 'https://127.0.0.1:1', tls: { caFile: '/nonexistent/ca.pem', insecure: false } }).version(),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('/nonexistent/ca.pem'),
    });
  });
});

describe('pythonErrorMessage', () => {
  it('takes the innermost error line', () => {
    expect(pythonErrorMessage(TRACEBACK)).toBe("Attempted to delete job 'x', but it is in a non-terminal state RUNNING");
    expect(pythonErrorMessage('no error here')).toBeUndefined();
  });
});
