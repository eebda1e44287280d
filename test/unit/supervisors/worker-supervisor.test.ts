// WorkerSupervisor against a real worker process: requests, streamed events, cancel, timeouts, and
// crashes that are reported with their reason and restarted — until the restart budget is spent.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerSupervisor, type CrashInfo } from '../../../main/supervisors/worker-supervisor';
import { nodeSpawner } from '../../../main/supervisors/worker-process';

const entry = path.resolve(__dirname, '../../fixtures/workers/echo-worker.ts');
const sups: WorkerSupervisor[] = [];

function make(maxRestarts = 3) {
  const s = new WorkerSupervisor({
    name: 'echo',
    spawn: nodeSpawner(entry, { execArgv: ['--import', 'tsx'] }),
    maxRestarts,
    readyTimeoutMs: 30_000,
  });
  sups.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(sups.splice(0).map((s) => s.stop()));
});

describe('WorkerSupervisor', () => {
  it('starts the worker, answers requests and streams events', async () => {
    const s = make();
    const info = (await s.start()) as { worker: string };
    expect(info.worker).toBe('echo');
    expect(await s.request('echo', { text: 'hi' })).toEqual({ text: 'hi' });
    const events: unknown[] = [];
    expect(await s.request('count', { to: 4 }, { onEvent: (e) => events.push(e) })).toEqual({ done: 4 });
    expect(events).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('carries typed errors and rejects unknown methods and bad params', async () => {
    const s = make();
    await expect(s.request('fail', {})).rejects.toMatchObject({ code: 'CORRUPT', message: 'bad magic' });
    await expect(s.request('nope', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.request('echo', { text: 5 })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('cancels a running request through its signal and times one out', async () => {
    const s = make();
    const ac = new AbortController();
    const p = s.request('hang', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(s.request('hang', {}, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await s.request('echo', { text: 'still alive' })).toEqual({ text: 'still alive' });
  });

  it('reports a crash with its reason, fails in-flight requests, and restarts', async () => {
    const s = make();
    await s.start();
    const firstPid = await s.request<number>('pid', {});
    const crashes: CrashInfo[] = [];
    s.onCrash((c) => crashes.push(c));
    const inflight = s.request('hang', {});
    await expect(s.request('crash', { how: 'exit' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(inflight).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(crashes[0]?.reason).toMatch(/exited with code 7.*simulated native abort/);
    expect(crashes[0]?.restarting).toBe(true);
    const secondPid = await s.request<number>('pid', {});
    expect(secondPid).not.toBe(firstPid);
    expect(s.state).toBe('ready');
  });

  it('names the signal of a killed worker and gives up after the restart budget', async () => {
    const s = make(1);
    await s.start();
    const crashes: CrashInfo[] = [];
    s.onCrash((c) => crashes.push(c));
    await expect(s.request('crash', { how: 'kill' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(crashes[0]?.reason).toMatch(/killed by SIGKILL/);
    await s.request('pid', {});
    await expect(s.request('crash', { how: 'throw' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(crashes[1]?.reason).toMatch(/exited with code 1.*uncaught in worker/);
    expect(crashes[1]?.restarting).toBe(false);
    expect(s.state).toBe('failed');
    await expect(s.request('pid', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
