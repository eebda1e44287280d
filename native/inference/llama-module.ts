// Loads node-llama-cpp lazily: it is ESM-only with top-level await, so CommonJS builds (tsx workers, the
// esbuild-bundled main) must reach it through a dynamic import() rather than require().
import type * as NodeLlamaCppModule from 'node-llama-cpp';

export type NodeLlamaCpp = typeof NodeLlamaCppModule;

let cached: Promise<NodeLlamaCpp> | undefined;

export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  cached ??= import('node-llama-cpp');
  return cached;
}
