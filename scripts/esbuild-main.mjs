// The esbuild options for the main-process entries (CLI/host and Electron main), shared by scripts/build.mjs and the
// cold-start test that proves heavy packages stay out of startup. node_modules stay external: they are required at run
// time, so a package imported with a dynamic import() is only required when that code first runs.
export const nodeBuildBase = { logLevel: 'warning', sourcemap: true, target: 'node20', platform: 'node', format: 'cjs', bundle: true };

/** @type {import('esbuild').BuildOptions} */
export const mainBuildOptions = {
  ...nodeBuildBase,
  entryPoints: { 'main/cli': 'main/cli/index.ts', 'main/electron': 'main/electron/main.ts' },
  outExtension: { '.js': '.cjs' },
  packages: 'external',
  external: ['electron'],
};
