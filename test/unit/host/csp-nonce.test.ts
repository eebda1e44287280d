// The per-load style nonce: the browser host puts the same fresh nonce into the CSP header and the page (so the
// editor's <style> elements are allowed), a different one each load, and never relaxes script-src.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER, injectCspNonce } from '../../../main/host/csp-nonce';
import { startHost, type RunningHost } from '../../../main/host/server';
import { Dispatcher } from '../../../main/ipc/dispatcher';

let host: RunningHost;
let root: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-csp-nonce-'));
  // The real page's head (the placeholder in the meta CSP and in the nonce meta tag) plus an asset.
  const real = fs.readFileSync(path.join(__dirname, '../../../renderer/index.html'), 'utf8');
  fs.writeFileSync(path.join(root, 'index.html'), real);
  fs.writeFileSync(path.join(root, 'app.js'), `// ${CSP_NONCE_PLACEHOLDER} stays in scripts`);
  host = await startHost({ dispatcher: new Dispatcher([]), rendererDir: root, token: 'test-token' });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function get(p: string): Promise<{ status: number; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { cookie: `evolve_token=${host.token}` };
    http
      .get({ host: '127.0.0.1', port: host.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, csp: String(res.headers['content-security-policy'] ?? ''), body }));
      })
      .on('error', reject);
  });
}

const headerNonce = (csp: string) => /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
const pageNonce = (html: string) => /name="evolve-csp-nonce" content="([^"]+)"/.exec(html)?.[1];

describe('per-load CSP style nonce', () => {
  it('puts the same fresh nonce in the header, the meta CSP and the nonce tag', async () => {
    const a = await get('/');
    expect(a.status).toBe(200);
    const nonce = headerNonce(a.csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(pageNonce(a.body)).toBe(nonce);
    expect(a.body).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(a.body).not.toContain(CSP_NONCE_PLACEHOLDER);
    // Scripts stay 'self' only, in the header and in the page.
    expect(a.csp).toContain("script-src 'self';");
    expect(a.csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(a.body).not.toMatch(/unsafe-inline|unsafe-eval/);
    const b = await get('/index.html');
    expect(headerNonce(b.csp)).not.toBe(nonce);
    expect(pageNonce(b.body)).toBe(headerNonce(b.csp));
  });

  it('only rewrites HTML pages', async () => {
    const js = await get('/app.js');
    expect(js.body).toContain(CSP_NONCE_PLACEHOLDER);
    expect(injectCspNonce(Buffer.from('a EVOLVE_CSP_NONCE b EVOLVE_CSP_NONCE'), 'N').toString()).toBe('a N b N');
  });
});
