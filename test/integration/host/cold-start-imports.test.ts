// Cold start: requiring the built CLI (the first thing `evolve serve` does) must not load the cloud SDKs, their HTTP and
// SMTP clients, or the codegen checkers; each is imported on first use. Bundled with the build's own esbuild options.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainBuildOptions } from '../../../scripts/esbuild-main.mjs';

const root = path.resolve(__dirname, '../../..');
/** Packages that cost startup time (bench:startup measured ~1.9 s for the checkers, ~0.7 s for the SDKs and clients). */
const LOADED_ON_FIRST_USE = [
  '@anthropic-ai/sdk',
  'openai',
  '@huggingface/inference',
  'undici',
  'nodemailer',
  'typescript',
  'eslint',
  'typescript-eslint',
  '@microsoft/eslint-plugin-sdl',
  '@secretlint/core',
];

// Requires the bundle in a fresh node and prints the packages now in require.cache (innermost node_modules segment).
const LIST_LOADED = `
require(process.argv[1]);
const names = new Set();
for (const file of Object.keys(require.cache)) {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) continue;
  const parts = file.slice(at + 14).split('/');
  const name = parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0];
  if (!name.startsWith('.')) names.add(name);
}
process.stdout.write(JSON.stringify([...names]));
`;

// Under node_modules so the bundle resolves packages exactly as out/main/cli.cjs does.
const outdir = path.join(root, 'node_modules', '.cache', 'evolve-cold-start-test', String(process.pid));

function loadedBy(bundle: string): string[] {
  const r = spawnSync(process.execPath, ['-e', LIST_LOADED, bundle], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`requiring ${bundle} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

describe('host cold start loads heavy packages on first use only', () => {
  let cli: string;
  beforeAll(async () => {
    await build({
      ...mainBuildOptions,
      entryPoints: { cli: 'main/cli/index.ts' },
      absWorkingDir: root,
      outdir,
      sourcemap: false,
      logLevel: 'error',
    });
    cli = path.join(outdir, 'cli.cjs');
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('requiring the CLI bundle loads none of the SDKs, clients or checkers', () => {
    const loaded = loadedBy(cli);
    // The detection works: packages the host does need at startup are seen.
    expect(loaded).toEqual(expect.arrayContaining(['zod', 'ws']));
    expect(LOADED_ON_FIRST_USE.filter((p) => loaded.includes(p))).toEqual([]);
  });

  it('the same check sees an eager import (it can fail)', async () => {
    // A stand-in for someone adding `import OpenAI from 'openai'` back on the startup path.
    const eager = path.join(outdir, 'eager-entry.ts');
    fs.writeFileSync(
      eager,
      `import OpenAI from 'openai';\nexport * from '${path.join(root, 'main/cli/index.ts').replace(/\.ts$/, '')}';\nexport const sdk = OpenAI;\n`,
    );
    await build({ ...mainBuildOptions, entryPoints: { eager }, absWorkingDir: root, outdir, sourcemap: false, logLevel: 'error' });
    expect(loadedBy(path.join(outdir, 'eager.cjs'))).toContain('openai');
  });
});
