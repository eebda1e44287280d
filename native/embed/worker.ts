// Embedding worker entry: owns onnxruntime-node and the all-MiniLM-L6-v2 model; serves info/embed/tokenize.
// Every request names the model folder and thread count (main knows them), so a restarted worker just loads it again.
import { EvolveError } from '../../common/errors';
import { serveWorker, type WorkerHandler } from '../rpc/serve';
import { Embedder } from './embedder';
import { EmbedModelParamsSchema, EmbedTextsParamsSchema, EMBED_DIMS, EMBED_MODEL_NAME } from './protocol';
import type { z } from 'zod';

/** Loaded models by folder + thread count; normally one. Never swapped out under a running request. */
const loaded = new Map<string, Promise<Embedder>>();

function parse<S extends z.ZodTypeAny>(schema: S, params: unknown, method: string): z.output<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
  throw new EvolveError('INVALID_ARGUMENT', `${method}: ${issues.join('; ')}`);
}

/** The embedder for these params, loaded on first use and kept for later requests. */
function embedderFor(o: z.output<typeof EmbedModelParamsSchema>): Promise<Embedder> {
  const key = `${o.modelDir}\u0000${o.intraOpThreads}`;
  const known = loaded.get(key);
  if (known) return known;
  const embedder = Embedder.open(o);
  loaded.set(key, embedder);
  // A failed load leaves nothing behind, so the next request tries again (e.g. after the setup script ran).
  embedder.catch(() => loaded.delete(key));
  return embedder;
}

const handlers: Record<string, WorkerHandler> = {
  info: async (p) => (await embedderFor(parse(EmbedModelParamsSchema, p, 'info'))).info(),
  tokenize: async (p) => {
    const { model, texts } = parse(EmbedTextsParamsSchema, p, 'tokenize');
    return { ids: (await embedderFor(model)).tokenize(texts) };
  },
  embed: async (p, ctx) => {
    const { model, texts } = parse(EmbedTextsParamsSchema, p, 'embed');
    return (await embedderFor(model)).embed(texts, ctx.signal);
  },
};

process.on('SIGTERM', () => {
  const all = [...loaded.values()].map((p) => p.then((e) => e.dispose()).catch(() => undefined));
  void Promise.all(all).finally(() => process.exit(0));
});

// Ready as soon as the RPC loop runs: the model loads on the first request, so a missing model is an answer, not a crash.
serveWorker(handlers, () => ({ model: EMBED_MODEL_NAME, dims: EMBED_DIMS }));
