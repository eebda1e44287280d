// Builds everything into out/: main-process entries, the preload and worker entries with esbuild
// (CommonJS; node_modules stay external except in the preload, which must be self-contained because
// sandboxed preloads cannot require files), and the renderer with Vite.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainBuildOptions, nodeBuildBase } from './esbuild-main.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const watchless = nodeBuildBase;

const workers = fs.existsSync(path.join(root, 'native'))
  ? fs
      .readdirSync(path.join(root, 'native'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'native', d.name, 'worker.ts')))
      .map((d) => d.name)
  : [];

async function main() {
  const started = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  await Promise.all([
    esbuild({ ...mainBuildOptions, outdir: out }),
    esbuild({
      ...watchless,
      entryPoints: { 'preload/index': 'preload/index.ts' },
      outdir: out,
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
      // The sandboxed preload gets a limited `require`; everything but electron is bundled in.
      packages: undefined,
    }),
    ...(workers.length
      ? [
          esbuild({
            ...watchless,
            entryPoints: Object.fromEntries(workers.map((w) => [`native/${w}/worker`, `native/${w}/worker.ts`])),
            outdir: out,
            outExtension: { '.js': '.cjs' },
            packages: 'external',
          }),
        ]
      : []),
    viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' }),
  ]);
  process.stdout.write(`built out/ in ${((Date.now() - started) / 1000).toFixed(1)} s (workers: ${workers.join(', ') || 'none'})\n`);
}

main().catch((e) => {
  process.stderr.write(`build failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
