// `evolve index` and `evolve search` as a user runs them (built CLI, passphrase store, real workers): progress
// JSON lines on stderr, a JSON summary on stdout, a second run that skips everything, hits with scores, refusals.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexProgressSchema, RetrievalSchema } from '../../../common/contracts/projects';
import { writeFixtureProject } from '../projects/harness';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'evolve.cjs');
const MODEL_CACHE = process.env.EVOLVE_MODEL_CACHE ?? path.join(os.homedir(), '.cache', 'evolve-studio', 'models');
let tmp: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.cjs')))
    throw new Error('out/ is missing: run `node scripts/build.mjs` before these tests');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-cli-projects-'));
  project = path.join(tmp, 'proj');
  fs.mkdirSync(project);
  writeFixtureProject(project);
  fs.mkdirSync(path.join(tmp, 'home'));
  env = {
    ...process.env,
    HOME: path.join(tmp, 'home'),
    EVOLVE_DATA_DIR: path.join(tmp, 'data'),
    EVOLVE_MODEL_CACHE: MODEL_CACHE,
    EVOLVE_KEYCHAIN: 'passphrase',
    EVOLVE_PASSPHRASE: 'cli projects passphrase',
  };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[], timeout = 180_000) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout });

describe('evolve index / search', () => {
  it('indexes a folder with progress on stderr and a JSON summary on stdout, then skips it all the second time', () => {
    const r = run(['index', project, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const progress = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => IndexProgressSchema.parse(JSON.parse(l)));
    expect(progress.length).toBeGreaterThan(0);
    const out = JSON.parse(r.stdout) as { project: { files: number }; run: { phase: string; filesDone: number } };
    expect(out.run.phase).toBe('done');
    expect(out.project.files).toBeGreaterThanOrEqual(6);
    const again = JSON.parse(run(['index', project, '--json']).stdout) as { run: { filesDone: number; unchanged: number } };
    expect(again.run.filesDone).toBe(0);
    expect(again.run.unchanged).toBe(out.project.files);
  }, 400_000);

  it('searches with scores, as text and as JSON', () => {
    const text = run(['search', project, 'exponential backoff retry', '--k', '3']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^src\/http\/retry\.ts:\d+-\d+\s+fused\s+0\.\d{3} bm25 .* vector .*0\.\d{3}$/);
    const json = RetrievalSchema.parse(JSON.parse(run(['search', project, 'parseQuaternion', '--json']).stdout));
    expect(json.chunks[0]?.rel).toBe('src/quaternion.ts');
  }, 120_000);

  it('refuses bad arguments with a clear message and a non-zero exit', () => {
    expect(run(['index', '/']).stderr).toMatch(/root of a filesystem/);
    expect(run(['search', path.join(tmp, 'nope'), 'x']).stderr).toMatch(/No folder/);
    const r = run(['search', project, 'x', '--k', '0']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--k must be 1-100/);
  }, 120_000);
});
