// Resumable model downloads over HTTP(S): `.part` file + sidecar (ETag/size), Range + If-Range, streamed SHA-256,
// progress with rate, cancel, automatic resume after a dropped connection, typed errors.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import { dirname } from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import type { DownloadProgress } from '../../../common/inference/models';
import { certificateError, certificateProblem, egressRequest, processEgressGuard, type EgressGuard } from '../../platform/egress';

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Lower-case hex; when given the file is verified and a mismatch is CORRUPT (and the file removed). */
  sha256?: string;
  expectedSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Extra request headers, e.g. Authorization for gated Hugging Face repos. */
  headers?: Record<string, string>;
  /** Automatic resumes after a dropped connection (each one a Range request). */
  maxRetries?: number;
  /** Minimum ms between progress events (the last one is always sent). */
  progressIntervalMs?: number;
  /** The outbound guard (default: the process's); downloads use the 'model-downloads' allow-list. */
  guard?: EgressGuard;
  /** A private CA to trust besides the system's (a company mirror of Hugging Face); verification is never turned off. */
  ca?: Buffer;
}

export interface DownloadResult {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Number of requests that resumed from a partial file (Range accepted with 206). */
  resumes: number;
  requests: number;
}

const SidecarSchema = z.object({
  url: z.string(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  totalBytes: z.number().int().nullable(),
});
type Sidecar = z.infer<typeof SidecarSchema>;

const partPath = (dest: string) => `${dest}.part`;
const sidecarPath = (dest: string) => `${dest}.part.json`;

class RetryableError extends Error {}

export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  const url = parseUrl(opts.url);
  await mkdir(dirname(opts.dest), { recursive: true });
  const part = partPath(opts.dest);
  let sidecar = await readSidecar(opts.dest, opts.url);
  let resumes = 0;
  let requests = 0;
  const maxRetries = opts.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(opts.signal);
    const have = sidecar ? await fileSize(part) : 0;
    if (!sidecar) await rm(part, { force: true });
    // Re-hash what is already on disk so the final hash covers the whole file, not just this session's bytes.
    const hash = createHash('sha256');
    if (have > 0) await hashFile(part, hash, opts.signal);
    try {
      requests++;
      const outcome = await fetchInto({ url, part, have, sidecar, hash, opts });
      if (outcome.resumed) resumes++;
      sidecar = outcome.sidecar;
      const size = await fileSize(part);
      return await finish(opts, part, size, outcome.hash.digest('hex'), resumes, requests);
    } catch (e) {
      if (e instanceof RetryableError && attempt < maxRetries) {
        sidecar = await readSidecar(opts.dest, opts.url);
        await delay(Math.min(200 * 2 ** attempt, 5_000), opts.signal);
        continue;
      }
      if (e instanceof RetryableError)
        throw new EvolveError('UNAVAILABLE', `Download of ${opts.url} kept failing: ${e.message}; run it again to resume`, {
          retries: attempt,
        });
      throw e;
    }
  }
}

interface FetchArgs {
  url: URL;
  part: string;
  have: number;
  sidecar: Sidecar | undefined;
  hash: Hash;
  opts: DownloadOptions;
}

/** One request; returns the hash object that covers the whole part file afterwards. */
async function fetchInto(a: FetchArgs): Promise<{ resumed: boolean; sidecar: Sidecar; hash: Hash }> {
  const headers: Record<string, string> = { 'user-agent': 'EvolveStudio-model-downloader', ...a.opts.headers };
  if (a.have > 0 && a.sidecar) {
    headers.range = `bytes=${a.have}-`;
    // If-Range: "send the rest only if it is still the same file, else all of it". Weak ETags are not allowed.
    const validator = a.sidecar.etag && !a.sidecar.etag.startsWith('W/') ? a.sidecar.etag : a.sidecar.lastModified;
    if (validator) headers['if-range'] = validator;
  }
  const res = await request(a.url, headers, a.opts.signal, a.opts.guard ?? processEgressGuard(), a.opts.ca);
  const status = res.statusCode ?? 0;
  if (status === 416 && a.sidecar && a.sidecar.totalBytes !== null && a.have === a.sidecar.totalBytes) {
    res.resume();
    return { resumed: true, sidecar: a.sidecar, hash: a.hash }; // already complete
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw httpError(status, a.opts.url);
  }
  let resumed = false;
  let offset = 0;
  if (status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
    if (!range || Number(range[1]) !== a.have) {
      res.resume();
      await rm(a.part, { force: true });
      await rm(sidecarPath(a.opts.dest), { force: true });
      throw new RetryableError(`server answered a different range (${String(res.headers['content-range'])})`);
    }
    resumed = true;
    offset = a.have;
  }
  // 200 to a Range request: the server ignored it or the file changed (If-Range failed): start over, fresh hash.
  const hash = status === 200 ? createHash('sha256') : a.hash;
  const length = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : undefined;
  const totalBytes = status === 206 ? totalFromContentRange(res.headers['content-range']) : (length ?? null);
  if (a.opts.expectedSize !== undefined && totalBytes !== null && totalBytes !== a.opts.expectedSize) {
    res.resume();
    throw new EvolveError('CORRUPT', `Server reports ${totalBytes} bytes for ${a.opts.url}, expected ${a.opts.expectedSize}`);
  }
  if (totalBytes !== null) await ensureDiskSpace(a.opts.dest, totalBytes - offset);
  const sidecar: Sidecar = {
    url: a.opts.url,
    etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined,
    lastModified: typeof res.headers['last-modified'] === 'string' ? res.headers['last-modified'] : undefined,
    totalBytes,
  };
  await writeFile(sidecarPath(a.opts.dest), JSON.stringify(sidecar));
  const out = createWriteStream(a.part, { flags: status === 206 ? 'a' : 'w' });
  const progress = progressReporter(a.opts, totalBytes, offset);
  let received = offset;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => res.destroy(abortError());
      a.opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (e?: unknown) => {
        a.opts.signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
        progress(received, false);
        if (!out.write(chunk)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
      });
      res.on('aborted', () => done(new RetryableError('connection closed mid-body')));
      res.on('error', (e) => done(a.opts.signal?.aborted ? abortError() : new RetryableError(e.message)));
      res.on('end', () => {
        if (!res.complete) return done(new RetryableError('connection closed mid-body'));
        done();
      });
      out.on('error', (e) => {
        res.destroy();
        done(diskError(e));
      });
    });
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  if (totalBytes !== null && received < totalBytes) throw new RetryableError(`got ${received} of ${totalBytes} bytes`);
  progress(received, true);
  return { resumed, sidecar, hash };
}

async function finish(
  opts: DownloadOptions,
  part: string,
  size: number,
  digest: string,
  resumes: number,
  requests: number,
): Promise<DownloadResult> {
  if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
    await quarantine(opts.dest);
    throw new EvolveError('CORRUPT', `Downloaded ${size} bytes from ${opts.url}, expected ${opts.expectedSize}; the file was removed`, {
      size,
    });
  }
  if (opts.sha256 && digest !== opts.sha256.toLowerCase()) {
    await quarantine(opts.dest);
    throw new EvolveError('CORRUPT', `SHA-256 mismatch for ${opts.url}: got ${digest}, expected ${opts.sha256}; the file was removed`, {
      actual: digest,
      expected: opts.sha256,
    });
  }
  await rename(part, opts.dest);
  await rm(sidecarPath(opts.dest), { force: true });
  return { path: opts.dest, sizeBytes: size, sha256: digest, resumes, requests };
}

async function quarantine(dest: string): Promise<void> {
  await rm(partPath(dest), { force: true });
  await rm(sidecarPath(dest), { force: true });
}

function progressReporter(opts: DownloadOptions, total: number | null, resumedFrom: number) {
  const interval = opts.progressIntervalMs ?? 250;
  let last = 0;
  const window: { t: number; bytes: number }[] = [];
  return (received: number, final: boolean) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    window.push({ t: now, bytes: received });
    while (window.length > 2 && now - (window[0]?.t ?? now) > 1000) window.shift();
    if (!final && now - last < interval) return;
    last = now;
    const first = window[0];
    const dt = first ? (now - first.t) / 1000 : 0;
    const rate = first && dt > 0 ? (received - first.bytes) / dt : 0;
    opts.onProgress({ type: 'progress', receivedBytes: received, totalBytes: total, bytesPerSecond: rate, resumedFrom });
  };
}

function request(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  guard: EgressGuard,
  ca: Buffer | undefined,
  redirects = 0,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    // Each hop (a redirect to a CDN too) connects through the guard.
    const req = egressRequest(guard, 'model-downloads', url, { method: 'GET', headers, signal, ...(ca ? { tls: { ca } } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) return reject(new EvolveError('UNAVAILABLE', `Too many redirects for ${url.href}`));
        const next = new URL(res.headers.location, url);
        // Never forward credentials to another host (HF redirects to a CDN).
        const h =
          next.host === url.host
            ? headers
            : Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
        request(next, h, signal, guard, ca, redirects + 1).then(resolve, reject);
        return;
      }
      resolve(res);
    });
    // A refusal by the egress guard or a refused certificate is final, not a dropped connection to retry.
    req.on('error', (e) => {
      const cert = certificateProblem(e);
      if (signal?.aborted) reject(abortError());
      else if (e instanceof EvolveError) reject(e);
      else if (cert) reject(certificateError(url.origin, cert, 'set its CA file in Models → Downloads, or use another mirror'));
      else reject(new RetryableError(e.message));
    });
    req.end();
  });
}

function httpError(status: number, url: string): EvolveError {
  if (status === 404) return new EvolveError('NOT_FOUND', `Not found (HTTP 404): ${url}`, { status });
  if (status === 401)
    return new EvolveError(
      'UNAUTHENTICATED',
      `The server wants a login (HTTP 401) for ${url}; gated Hugging Face models need an access token`,
      { status },
    );
  if (status === 403)
    return new EvolveError(
      'FORBIDDEN',
      `Access denied (HTTP 403) for ${url}; accept the model's licence on Hugging Face or check the token`,
      { status },
    );
  if (status === 429)
    return new EvolveError('RESOURCE_EXHAUSTED', `Rate limited (HTTP 429) by ${new URL(url).host}; try again later`, { status });
  return new EvolveError('UNAVAILABLE', `Download failed with HTTP ${status}: ${url}`, { status });
}

function diskError(e: unknown): EvolveError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new EvolveError('RESOURCE_EXHAUSTED', 'The disk is full; free some space and resume the download', { code });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new EvolveError('FORBIDDEN', `Cannot write the model file (${code})`, { code });
  return new EvolveError('INTERNAL', `Writing the model file failed: ${(e as Error).message}`, { code });
}

async function ensureDiskSpace(dest: string, needed: number): Promise<void> {
  try {
    const s = await statfs(dirname(dest));
    const free = s.bavail * s.bsize;
    if (free < needed)
      throw new EvolveError('RESOURCE_EXHAUSTED', `Not enough disk space: ${needed} bytes needed, ${free} free in ${dirname(dest)}`, {
        needed,
        free,
      });
  } catch (e) {
    if (e instanceof EvolveError) throw e;
    // statfs unsupported here: the write itself reports ENOSPC.
  }
}

function totalFromContentRange(v: unknown): number | null {
  const m = /\/(\d+)$/.exec(String(v ?? ''));
  return m ? Number(m[1]) : null;
}

async function readSidecar(dest: string, url: string): Promise<Sidecar | undefined> {
  try {
    const parsed = SidecarSchema.safeParse(JSON.parse(await readFile(sidecarPath(dest), 'utf8')));
    // A part file from another URL is not ours to resume.
    return parsed.success && parsed.data.url === url ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function fileSize(p: string): Promise<number> {
  try {
    return (await stat(p)).size;
  } catch {
    return 0;
  }
}

async function hashFile(p: string, hash: Hash, signal: AbortSignal | undefined): Promise<void> {
  for await (const chunk of createReadStream(p, { signal })) hash.update(chunk as Buffer);
}

function parseUrl(u: string): URL {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw new EvolveError('INVALID_ARGUMENT', `Not a URL: ${u}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new EvolveError('INVALID_ARGUMENT', `Only http(s) downloads are supported: ${u}`);
  return url;
}

function abortError(): EvolveError {
  return new EvolveError('CANCELLED', 'Download cancelled; run it again to resume');
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(abortError());
      },
      { once: true },
    );
  });
}
