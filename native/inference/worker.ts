// Inference worker entry: owns node-llama-cpp and the loaded models; serves engine requests over the worker RPC.
import os from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { serveWorker, type WorkerHandler } from '../rpc/serve';
import { InferenceEngine } from './engine';

const EnvSchema = z.object({
  EVOLVE_INFERENCE_CACHE: z.string().min(1).optional(),
  EVOLVE_INFERENCE_GPU: z.enum(['auto', 'cuda', 'vulkan', 'metal', 'cpu']).optional(),
  EVOLVE_INFERENCE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  EVOLVE_INFERENCE_MAX_AUTO_CONTEXT: z.coerce.number().int().min(256).optional(),
  /** Enables the `debug-crash` method so tests can prove a native crash is reported and restarted. */
  EVOLVE_INFERENCE_TEST_HOOKS: z.literal('1').optional(),
});

const env = EnvSchema.parse(process.env);
const cacheDir = env.EVOLVE_INFERENCE_CACHE ?? join(os.homedir(), '.cache', 'evolve-studio', 'inference');

const enginePromise = InferenceEngine.create({
  cacheDir,
  gpu: env.EVOLVE_INFERENCE_GPU === 'cpu' ? false : (env.EVOLVE_INFERENCE_GPU ?? 'auto'),
  threadsOverride: env.EVOLVE_INFERENCE_THREADS,
  maxAutoContext: env.EVOLVE_INFERENCE_MAX_AUTO_CONTEXT,
  log: (level, msg) => process.stderr.write(`[inference ${level}] ${msg}\n`),
});

const handlers: Record<string, WorkerHandler> = {
  info: async () => (await enginePromise).info(),
  inspect: async (p) => (await enginePromise).inspect(p),
  load: async (p) => (await enginePromise).load(p),
  unload: async (p) => (await enginePromise).unload(p),
  'list-loaded': async () => (await enginePromise).listLoaded(),
  'reset-thread': async (p) => (await enginePromise).resetThread(p),
  tokenize: async (p) => (await enginePromise).tokenize(p),
  'count-tokens': async (p) => (await enginePromise).countTokens(p),
  generate: async (p, ctx) => (await enginePromise).generate(p, ctx.signal, ctx.emit),
  'generate-json': async (p, ctx) => (await enginePromise).generateJson(p, ctx.signal),
  complete: async (p, ctx) => (await enginePromise).complete(p, ctx.signal, ctx.emit),
  infill: async (p, ctx) => (await enginePromise).infill(p, ctx.signal, ctx.emit),
  'fim-support': async (p) => (await enginePromise).fimSupport(p),
};

if (env.EVOLVE_INFERENCE_TEST_HOOKS === '1') {
  // SIGABRT, exactly what a failed assertion inside llama.cpp does to the process.
  handlers['debug-crash'] = () => process.abort();
}

process.on('SIGTERM', () => {
  void enginePromise.then((e) => e.dispose()).finally(() => process.exit(0));
});

serveWorker(handlers, async () => (await enginePromise).info());
