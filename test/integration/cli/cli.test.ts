// The built `evolve` command as a user runs it: version, doctor, refusals, and `start` without Electron.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoctorReportSchema } from '../../../common/contracts/doctor';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'evolve.cjs');
let tmp: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.cjs')))
    throw new Error('out/ is missing: run `node scripts/build.mjs` before these tests');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-cli-'));
  env = { ...process.env, EVOLVE_DATA_DIR: path.join(tmp, 'data'), EVOLVE_MODEL_CACHE: path.join(tmp, 'models') };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[], timeout = 60_000) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout });

describe('evolve CLI', () => {
  it('prints its version from package.json', () => {
    const r = run(['version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  it('doctor --json reports every component with hints for what is missing', () => {
    const r = run(['doctor', '--json'], 120_000);
    const report = DoctorReportSchema.parse(JSON.parse(r.stdout));
    const ids = report.checks.map((c) => c.id);
    for (const id of [
      'node',
      'electron',
      'data-dir',
      'model-cache',
      'keychain',
      'git',
      'gpu',
      'python',
      'ray',
      'prometheus',
      'alertmanager',
      'node-exporter',
    ]) {
      expect(ids).toContain(id);
    }
    for (const c of report.checks.filter((c) => c.status === 'warn' || c.status === 'fail')) expect(c.hint, c.id).toBeTruthy();
    expect(report.checks.find((c) => c.id === 'data-dir')?.detail).toBe(path.join(tmp, 'data'));
    expect(r.status).toBe(report.summary.fail > 0 ? 1 : 0);
  });

  it('refuses to serve on a non-loopback address and explains why', () => {
    const r = run(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0.*--allow-remote/);
  });

  it('rejects unknown commands and options with usage help', () => {
    const r = run(['fly']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: evolve');
    const bad = run(['serve', '--bogus']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bogus/);
  });

  it('start without the Electron binary says how to get it, and serves in the browser instead', async () => {
    const noFallback = run(['start', '--no-fallback']);
    const hasElectron = fs.existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'));
    if (hasElectron) return; // covered by the Electron E2E test where the binary exists
    expect(noFallback.status).toBe(2);
    expect(noFallback.stderr).toMatch(/Electron is not available[\s\S]*electron\/install\.js/);
    const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--json'], { env });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const { launchUrl } = JSON.parse(line) as { launchUrl: string };
    expect(launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const stopped = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});
