// The WebSocket log tail against a local ws server: line splitting across frames, no compression, 404, abort.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';

let wss: WebSocketServer;
let base: string;
const extensions: (string | undefined)[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, cb) => (info.req.url?.includes('/missing/') ? cb(false, 404, 'Job missing does not exist') : cb(true)),
  });
  wss.on('connection', (ws, req) => {
    extensions.push(req.headers['sec-websocket-extensions']);
    if (req.url?.includes('/forever/')) {
      ws.send('first\n');
      return;
    }
    // Ray sends chunks cut anywhere, then closes when the job is done.
    ws.send('line one\nline t');
    ws.send('wo\n{"evolve_metric":1,"step":1,"loss":0.5}\npartial');
    ws.close();
  });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  base = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));

describe('tailJobLogs', () => {
  it('delivers whole lines across frames and flushes the last partial line on close', async () => {
    const lines: string[] = [];
    const r = await tailJobLogs({ baseUrl: base, serviceName: 'Ray dashboard' }, 'job1', { onLines: (l) => lines.push(...l) });
    expect(r).toEqual({ cancelled: false });
    expect(lines).toEqual(['line one', 'line two', '{"evolve_metric":1,"step":1,"loss":0.5}', 'partial']);
    // permessage-deflate must not be offered (Ray's dashboard proxy breaks on it).
    expect(extensions.at(-1)).toBeUndefined();
  });

  it('a missing job is NOT_FOUND, a bad id is refused before connecting', async () => {
    await expect(tailJobLogs({ baseUrl: base, serviceName: 'Ray dashboard' }, 'missing', { onLines: () => {} })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(tailJobLogs({ baseUrl: base, serviceName: 'Ray dashboard' }, 'a/b', { onLines: () => {} })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('abort ends a tail that would otherwise run forever', async () => {
    const ctl = new AbortController();
    const lines: string[] = [];
    const p = tailJobLogs({ baseUrl: base, serviceName: 'Ray dashboard' }, 'forever', {
      onLines: (l) => {
        lines.push(...l);
        ctl.abort();
      },
      signal: ctl.signal,
    });
    await expect(p).resolves.toEqual({ cancelled: true });
    expect(lines).toEqual(['first']);
  });
});
