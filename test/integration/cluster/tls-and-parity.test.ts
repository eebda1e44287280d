// TLS options against a real HTTPS server with a self-signed CA (openssl), and TrainingConfig parity with the Python schema.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../common/cluster/training-config';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { missingBinaries, tempDir } from '../../support/cluster/processes';
import { REPO_ROOT } from '../../support/cluster/prometheus-stack';

describe.skipIf(missingBinaries(['openssl']).length > 0)('TLS profile options (needs openssl)', () => {
  let dir: string;
  let server: https.Server;
  let base: string;

  beforeAll(async () => {
    dir = tempDir('evtls-');
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {
        stdio: 'ignore',
      },
    );
    server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: '4', ray_version: '2.60.0' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an untrusted certificate is UNAVAILABLE with advice; the CA file or the insecure flag make it work', async () => {
    await expect(new RayClient({ baseUrl: base }).version()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('set a CA file'),
    });
    expect(
      (await new RayClient({ baseUrl: base, tls: { caFile: path.join(dir, 'cert.pem'), insecure: false } }).version()).ray_version,
    ).toBe('2.60.0');
    expect((await new RayClient({ baseUrl: base, tls: { insecure: true } }).version()).ray_version).toBe('2.60.0');
  });
});

describe('TrainingConfig parity with resources/training', () => {
  const python = fs.existsSync(path.join(REPO_ROOT, '.venv/bin/python')) ? path.join(REPO_ROOT, '.venv/bin/python') : 'python3';

  it('has the same fields, enums and defaults as `train.py --print-schema`', () => {
    const out = execFileSync(python, [path.join(REPO_ROOT, 'resources/training/train.py'), '--print-schema'], { encoding: 'utf8' });
    const schema = JSON.parse(out) as { properties: Record<string, { default: unknown; enum?: string[] }> };
    const ours = TrainingConfigSchema.parse({});
    expect(Object.keys(ours).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [k, p] of Object.entries(schema.properties)) {
      expect(ours[k as keyof typeof ours], k).toEqual(p.default);
      // Classification needs ≥ 2 classes (a cross-field rule both sides share).
      const extra = k === 'task' ? { output_dim: 2 } : {};
      if (p.enum) for (const v of p.enum) expect(TrainingConfigSchema.safeParse({ [k]: v, ...extra }).success, `${k}=${v}`).toBe(true);
    }
  });
});
