// Integration: scripts/models/setup-default-model.sh is idempotent on a verified install and refuses bad files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';

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
    const cache = mkdtempSync(join(os.tmpdir(), 'setup-'));
    const dest = join(cache, 'gemma-3-270m', 'gemma-3-270m-q4_k_m.gguf');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, 'GGUF not the real thing');
    const r = run({ EVOLVE_MODEL_CACHE: cache, PYTHON: '/nonexistent/python3' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/setup-default-model: ERROR: python3 not found/);
    expect(readFileSync(dest, 'utf8')).toBe('GGUF not the real thing'); // untouched: never replaced by half a file
  });
});
