// Hostile programs against the codegen sandbox, as the current user and (when root) again as an unprivileged user:
// every test asserts on the host that the effect did not happen, not just an exit code.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSupport, type SandboxSupport } from '../../../main/services/codegen/sandbox';
import { HOSTILE, markerProcesses, runHostile, setUpHostile, type HostileContext, type HostileOutcome } from './sandbox/hostile-programs';

const ROOT = path.resolve(__dirname, '../../..');
const TEST_USER = 'evolve-sbx-test';
const isRoot = process.getuid?.() === 0;
const support = await sandboxSupport();

describe.skipIf(!support.available)(`hostile programs as ${isRoot ? 'root' : 'an unprivileged user'}`, () => {
  let ctx: HostileContext;
  let tearDown: () => Promise<void>;
  beforeAll(async () => {
    ({ ctx, tearDown } = await setUpHostile());
  });
  afterAll(async () => {
    await tearDown();
  });

  it('runs with the isolation this user gets', () => {
    expect(support.method).toBe(isRoot ? 'bwrap-root-setpriv' : 'bwrap-userns');
  });

  it.each(HOSTILE.map((h) => [h.name, h] as const))('contains: %s', async (_name, h) => {
    const outcome = await runHostile(h, ctx);
    expect(outcome.failures, JSON.stringify(outcome.result)).toEqual([]);
  });

  it('leaves no process of any run behind', async () => {
    expect(await markerProcesses(ctx.marker)).toEqual([]);
  });
});

/**
 * The checks must be able to fail: the same programs run WITHOUT the sandbox (support forced to 'none' and
 * allowUnsandboxed) must be caught escaping. Only programs that are safe to let loose run here (no fork bomb, no kill).
 */
describe.skipIf(!support.available)('the checks catch an unsandboxed run', () => {
  const none: SandboxSupport = { ...support, available: false, method: 'none', reasons: ['forced by the test'] };
  const ESCAPING = [
    'opens a socket to a listener on 127.0.0.1',
    'writes outside the temp dir',
    'reads ~/.ssh of the user running the app',
    'leaves a background process',
    'looks for host processes',
  ];
  let ctx: HostileContext;
  let tearDown: () => Promise<void>;
  beforeAll(async () => {
    ({ ctx, tearDown } = await setUpHostile());
  });
  afterAll(async () => {
    for (const pid of await markerProcesses(ctx.marker)) process.kill(pid, 'SIGKILL');
    await tearDown();
  });

  it('refuses without allowUnsandboxed', async () => {
    const h = HOSTILE.find((x) => x.name === ESCAPING[0]);
    if (!h) throw new Error('catalog changed');
    await expect(runHostile(h, ctx, { deps: { support: none } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(ctx.connections()).toBe(0);
  });

  it.each(ESCAPING.map((n) => [n] as const))('detects the escape of: %s', async (name) => {
    const h = HOSTILE.find((x) => x.name === name);
    if (!h) throw new Error(`no hostile program ${name}`);
    const outcome = await runHostile(h, ctx, { deps: { support: none }, allowUnsandboxed: true });
    expect(outcome.result?.method).toBe('unsandboxed');
    expect(outcome.failures.length).toBeGreaterThan(0);
  });
});

/** The same catalog as an unprivileged account, the way a user runs the app (CI is root, so this is the user case). */
describe.skipIf(!support.available || !isRoot)('hostile programs as an unprivileged user (runuser)', () => {
  let lines: Array<HostileOutcome | { support: { available: boolean; method: string } }> = [];
  beforeAll(() => {
    if (spawnSync('id', ['-u', TEST_USER]).status !== 0) execFileSync('useradd', ['-m', TEST_USER]);
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    accessSync(tsx, constants.X_OK);
    const cli = path.join(ROOT, 'test/integration/codegen/sandbox/hostile-cli.ts');
    if (spawnSync('runuser', ['-u', TEST_USER, '--', 'test', '-r', cli]).status !== 0) {
      // A clear failure, not a skip: the user case must not silently drop out of CI.
      throw new Error(`${TEST_USER} cannot read ${cli}: run the suite from a checkout every user can read (not under /root)`);
    }
    const res = spawnSync(
      'runuser',
      ['-u', TEST_USER, '--', 'env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin', `HOME=/home/${TEST_USER}`, 'LANG=C.UTF-8', tsx, cli],
      { cwd: '/', encoding: 'utf8', timeout: 240_000 },
    );
    if (res.status !== 0) throw new Error(`hostile-cli as ${TEST_USER} failed: ${res.status} ${res.stderr}`);
    lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as (typeof lines)[number]);
  });

  it('the unprivileged user gets the user-namespace sandbox', () => {
    const first = lines[0];
    expect(first && 'support' in first ? first.support.method : undefined).toBe('bwrap-userns');
  });

  it.each(HOSTILE.map((h) => [h.name] as const))('contains: %s', (name) => {
    const outcome = lines.find((l): l is HostileOutcome => 'name' in l && l.name === name);
    expect(outcome, `no outcome for ${name}`).toBeDefined();
    expect(outcome?.failures, JSON.stringify(outcome?.result)).toEqual([]);
  });

  it('leaves no live process of the user behind', () => {
    // Zombies (state Z) are dead already: a pid-namespace init the host's init has not reaped yet.
    const ps = spawnSync('ps', ['-u', TEST_USER, '-o', 'stat=,pid=,args='], { encoding: 'utf8' }).stdout;
    const live = ps.split('\n').filter((l) => l.trim() && !l.trim().startsWith('Z'));
    expect(live).toEqual([]);
  });
});
