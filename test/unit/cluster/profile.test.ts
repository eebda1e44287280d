// Cluster profiles: validation, URL normalisation, and the bearer token coming from getSecret (never from the profile).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterProfileSchema } from '../../../common/cluster/profile';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { clusterTokenAccount, createClusterServices, parseProfile } from '../../../main/services/cluster/index';
import { MemoryJobRepository } from '../../../main/services/cluster/job-repository';

let server: http.Server;
let base: string;
const auths: (string | undefined)[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    auths.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version: '4', ray_version: '2.60.0' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const deps = (secrets: Record<string, string>) => ({
  getSecret: async (a: string) => secrets[a],
  repo: new MemoryJobRepository(),
  audit: new MemoryAuditSink(),
  trainingDir: '/nonexistent',
});

describe('cluster profiles', () => {
  it('normalises URLs and fills defaults', () => {
    const p = ClusterProfileSchema.parse({ id: 'lab', name: 'Lab', dashboardUrl: 'http://head:8265/' });
    expect(p).toEqual({
      id: 'lab',
      name: 'Lab',
      dashboardUrl: 'http://head:8265',
      hasToken: false,
      tls: { insecure: false },
      requestTimeoutMs: 15_000,
      refuseTokenOverHttp: true,
    });
  });

  it.each([
    [{ id: 'a b', name: 'x', dashboardUrl: 'http://h' }, 'id'],
    [{ id: 'a', name: 'x', dashboardUrl: 'ftp://h' }, 'dashboardUrl'],
    [{ id: 'a', name: 'x', dashboardUrl: 'http://h', token: 'secret' }, ''],
  ])('rejects %j', (input, field) => {
    expect(() => parseProfile(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(field) }),
    );
  });

  it('sends the keychain token when hasToken, and fails clearly when it is missing', async () => {
    auths.length = 0;
    const withToken = createClusterServices(
      { id: 'lab', name: 'Lab', dashboardUrl: base, hasToken: true },
      deps({ [clusterTokenAccount('lab')]: 'T0K' }),
    );
    expect((await withToken.ray.version()).ray_version).toBe('2.60.0');
    const plain = createClusterServices({ id: 'lab', name: 'Lab', dashboardUrl: base }, deps({}));
    await plain.ray.version();
    expect(auths).toEqual(['Bearer T0K', undefined]);
    const missing = createClusterServices({ id: 'lab', name: 'Lab', dashboardUrl: base, hasToken: true }, deps({}));
    await expect(missing.ray.version()).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('none is in the keychain'),
    });
  });

  it('a profile without monitoring URLs yields a degraded panel', async () => {
    const s = createClusterServices({ id: 'lab', name: 'Lab', dashboardUrl: base }, deps({}));
    expect((await s.monitoring.targets()).status).toBe('degraded');
  });
});
