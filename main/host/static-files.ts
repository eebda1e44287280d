// Serves the built renderer from one directory: no traversal, no listings, correct types, no sniffing.
import fs from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { injectCspNonce } from './csp-nonce';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Maps a URL path to a file inside `root`, or null when it would escape it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  const rootResolved = path.resolve(root);
  return full === rootResolved || full.startsWith(rootResolved + path.sep) ? full : null;
}

/** `cspNonce`: replaces the nonce placeholder in HTML pages (the same value the CSP header carries). */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  headOnly: boolean,
  cspNonce?: string,
): Promise<boolean> {
  const file = resolveStatic(root, urlPath);
  if (!file) return false;
  let data: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    data = await fs.readFile(file);
  } catch {
    return false;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.html' && cspNonce) data = injectCspNonce(data, cspNonce);
  const type = TYPES[ext] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': data.length,
    // index.html must never be cached (it names the hashed assets); hashed assets can be.
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'private, max-age=31536000, immutable',
  });
  res.end(headOnly ? undefined : data);
  return true;
}
