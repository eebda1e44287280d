// Integration: resumable downloads of the real GGUF from a local HTTP server (cut connections, Range/If-Range,
// SHA-256 verification, cancel + resume, HTTP errors) — real sockets and files, no mocks.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../../../common/inference/models';
import { downloadModel } from '../../../main/services/models/downloader';
import { DEFAULT_MODEL_SHA256, DEFAULT_MODEL_SIZE, HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { startRangeServer, type RangeServer } from '../../fixtures/models/range-server';
import { writeTinyGguf } from '../../fixtures/models/tiny-gguf';
import { tempDir } from '../../support/temp-tree';

let dir: string;
let cleanup: () => void;
let small: string;
let smallSha: string;
let server: RangeServer | undefined;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('evolve-dl-'));
  small = join(dir, 'small-source.gguf');
  const bytes = writeTinyGguf(small, { elements: 1_000_000 }); // ~4 MB
  smallSha = createHash('sha256').update(bytes).digest('hex');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
// The real-model case downloads ~250 MB into it: removed once the file is done, pass or fail.
afterAll(() => cleanup());

const dest = (name: string) => join(dir, 'out', name);

describe.skipIf(!HAVE_MODEL)(`download of the real GGUF${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('resumes with a Range request after the connection is cut mid-body, and the SHA-256 matches', async () => {
    server = await startRangeServer(MODEL_PATH, { cutAfterBytes: 40_000_000 });
    const progress: DownloadProgress[] = [];
    const out = dest('gemma.gguf');
    const r = await downloadModel({
      url: server.url(),
      dest: out,
      sha256: DEFAULT_MODEL_SHA256,
      expectedSize: DEFAULT_MODEL_SIZE,
      onProgress: (p) => progress.push(p),
    });
    expect(r).toMatchObject({ sizeBytes: DEFAULT_MODEL_SIZE, sha256: DEFAULT_MODEL_SHA256, resumes: 1, requests: 2 });
    expect(server.requests.map((q) => q.status)).toEqual([200, 206]);
    // The client keeps what reached it before the cut (less than the server wrote: socket buffers are lost).
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(1_000_000);
    expect(resumedAt).toBeLessThanOrEqual(40_000_000);
    expect(server.requests[1]?.ifRange).toMatch(/^"/); // the ETag from the first response
    expect(statSync(out).size).toBe(DEFAULT_MODEL_SIZE);
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(existsSync(`${out}.part.json`)).toBe(false);
    const last = progress.at(-1);
    expect(last).toMatchObject({ receivedBytes: DEFAULT_MODEL_SIZE, totalBytes: DEFAULT_MODEL_SIZE, resumedFrom: resumedAt });
    expect(progress.some((p) => p.bytesPerSecond > 0)).toBe(true);
  });
});

describe('downloader', () => {
  it('cancel keeps the part file; the next call resumes from it', async () => {
    server = await startRangeServer(small, { stallAfterBytes: 1_500_000 });
    const out = dest('cancel.gguf');
    const ac = new AbortController();
    const p = downloadModel({
      url: server.url(),
      dest: out,
      sha256: smallSha,
      signal: ac.signal,
      progressIntervalMs: 0,
      onProgress: (e) => {
        if (e.receivedBytes >= 1_500_000) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const kept = statSync(`${out}.part`).size;
    expect(kept).toBe(1_500_000);
    const r = await downloadModel({ url: server.url(), dest: out, sha256: smallSha });
    expect(r).toMatchObject({ sha256: smallSha, resumes: 1, requests: 1 });
    expect(server.requests[1]).toMatchObject({ range: `bytes=${kept}-`, status: 206 });
  });

  it('starts over when the file changed on the server (If-Range fails → 200)', async () => {
    server = await startRangeServer(small, { cutAfterBytes: 1_000_000, changeEtagFromRequest: 2 });
    const r = await downloadModel({ url: server.url(), dest: dest('changed.gguf'), sha256: smallSha });
    expect(server.requests.map((q) => q.status)).toEqual([200, 200]);
    expect(server.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(r).toMatchObject({ sha256: smallSha, resumes: 0 });
  });

  it('starts over when the server ignores Range', async () => {
    server = await startRangeServer(small, { cutAfterBytes: 1_000_000, ignoreRange: true });
    const r = await downloadModel({ url: server.url(), dest: dest('norange.gguf'), sha256: smallSha });
    expect(r.sha256).toBe(smallSha);
    expect(readFileSync(dest('norange.gguf')).equals(readFileSync(small))).toBe(true);
  });

  it('follows redirects', async () => {
    server = await startRangeServer(small);
    const r = await downloadModel({ url: server.url('/redirect/model.gguf'), dest: dest('redirect.gguf'), sha256: smallSha });
    expect(r.sha256).toBe(smallSha);
    expect(server.requests.map((q) => q.status)).toEqual([302, 200]);
  });

  it('a hash mismatch is CORRUPT and leaves no file behind', async () => {
    server = await startRangeServer(small);
    const out = dest('bad-hash.gguf');
    await expect(downloadModel({ url: server.url(), dest: out, sha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'CORRUPT',
      message: /SHA-256 mismatch/,
    });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
  });

  it('a size that differs from the expected one is CORRUPT before anything is written', async () => {
    server = await startRangeServer(small);
    await expect(downloadModel({ url: server.url(), dest: dest('size.gguf'), expectedSize: 123 })).rejects.toMatchObject({
      code: 'CORRUPT',
    });
  });

  it('404 → NOT_FOUND; a bad URL → INVALID_ARGUMENT; an unreachable host gives up with UNAVAILABLE', async () => {
    server = await startRangeServer(small);
    await expect(downloadModel({ url: server.url('/missing.gguf'), dest: dest('404.gguf') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(downloadModel({ url: 'ftp://example/x.gguf', dest: dest('ftp.gguf') })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const closed = server.url().replace(/:\d+\//, ':1/');
    await expect(downloadModel({ url: closed, dest: dest('refused.gguf'), maxRetries: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('a stale part file from another URL is not resumed', async () => {
    server = await startRangeServer(small);
    const out = dest('stale.gguf');
    writeFileSync(`${out}.part`, Buffer.alloc(1000, 7));
    writeFileSync(`${out}.part.json`, JSON.stringify({ url: 'http://other/x.gguf', totalBytes: 5000 }));
    const r = await downloadModel({ url: server.url(), dest: out, sha256: smallSha });
    expect(r.sha256).toBe(smallSha);
    expect(server.requests[0]?.range).toBeUndefined();
  });
});
