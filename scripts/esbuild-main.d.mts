// Types for scripts/esbuild-main.mjs (imported by the cold-start test).
import type { BuildOptions } from 'esbuild';

export declare const nodeBuildBase: BuildOptions;
export declare const mainBuildOptions: BuildOptions;
