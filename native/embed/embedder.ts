// The embedding model in one object: tokenizer.json + model.onnx on onnxruntime-node's CPU provider; embeds texts
// in length-sorted, padded sub-batches (less padding, same vectors) and checks for cancel between them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { EvolveError } from '../../common/errors';
import { meanPoolNormalize } from './pooling';
import { EMBED_DIMS, EMBED_MAX_CHARS, EMBED_MAX_TOKENS, EMBED_MODEL_NAME, type EmbedInfo, type EmbedResult } from './protocol';
import { EmbeddingTokenizer } from './tokenizer';

/**
 * Padded tokens per model call. Measured on this model (1 thread): 32×256 tokens per run peaked at 1.5 GB RSS for
 * ~1,070 tokens per CPU-second; 4×256 peaked at 420 MB for ~1,230 — bigger runs only cost memory on a CPU.
 */
const MAX_BATCH_TOKENS = 4 * EMBED_MAX_TOKENS;

export interface EmbedderOptions {
  modelDir: string;
  intraOpThreads: number;
}

export class Embedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: EmbeddingTokenizer,
    private readonly o: EmbedderOptions,
    private readonly wantsTypeIds: boolean,
    private readonly outputName: string,
  ) {}

  static async open(o: EmbedderOptions): Promise<Embedder> {
    const modelPath = path.join(o.modelDir, 'model.onnx');
    const tokPath = path.join(o.modelDir, 'tokenizer.json');
    for (const p of [modelPath, tokPath]) {
      if (!existsSync(p))
        throw new EvolveError(
          'UNAVAILABLE',
          `Embedding model not installed (${p} is missing): run scripts/models/setup-embedding-model.sh`,
        );
    }
    const tokenizer = EmbeddingTokenizer.fromFile(tokPath, EMBED_MAX_TOKENS);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath, {
        executionProviders: ['cpu'],
        intraOpNumThreads: o.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      throw new EvolveError('CORRUPT', `onnxruntime could not load ${modelPath}: ${(e as Error).message}`);
    }
    const inputs = session.inputNames;
    if (!inputs.includes('input_ids') || !inputs.includes('attention_mask'))
      throw new EvolveError('CORRUPT', `${modelPath} has inputs [${inputs.join(', ')}], expected input_ids and attention_mask`);
    const output = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0];
    if (!output) throw new EvolveError('CORRUPT', `${modelPath} has no outputs`);
    return new Embedder(session, tokenizer, o, inputs.includes('token_type_ids'), output);
  }

  info(): EmbedInfo {
    return {
      model: EMBED_MODEL_NAME,
      dims: EMBED_DIMS,
      maxTokens: this.tokenizer.maxTokens,
      modelDir: this.o.modelDir,
      intraOpThreads: this.o.intraOpThreads,
      runtime: `onnxruntime-node ${ort.env.versions.common} (cpu)`,
    };
  }

  tokenize(texts: string[]): number[][] {
    return texts.map((t) => this.tokenizer.encode(clip(t)).ids);
  }

  async embed(texts: string[], signal: AbortSignal): Promise<EmbedResult> {
    const encoded = texts.map((t) => this.tokenizer.encode(clip(t)));
    const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.ids.length ?? 0) - (encoded[b]?.ids.length ?? 0));
    const vectors: EmbedResult['vectors'] = new Array(texts.length);
    let tokens = 0;
    for (let at = 0; at < order.length;) {
      if (signal.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
      // Sorted ascending, so the last member sets the padded length. A group grows while it fits the token budget
      // and its texts are of similar length: padding costs as much compute as real tokens, one more run costs ~nothing.
      const len = (k: number) => encoded[order[k] as number]?.ids.length ?? 0;
      const similar = len(at) * 1.25 + 8;
      let end = at + 1;
      while (end < order.length && len(end) <= similar && (end - at + 1) * len(end) <= MAX_BATCH_TOKENS) end++;
      const group = order.slice(at, end);
      const out = await this.run(group.map((i) => (encoded[i] as { ids: number[] }).ids));
      group.forEach((i, k) => (vectors[i] = out[k] as EmbedResult['vectors'][number]));
      for (const i of group) tokens += encoded[i]?.ids.length ?? 0;
      at = end;
    }
    return { vectors, tokens, truncated: encoded.filter((e) => e.truncated).length };
  }

  private async run(batchIds: number[][]): Promise<Float32Array[]> {
    const batch = batchIds.length;
    const seq = Math.max(...batchIds.map((ids) => ids.length));
    const ids = new BigInt64Array(batch * seq);
    const mask = new BigInt64Array(batch * seq);
    batchIds.forEach((row, b) =>
      row.forEach((id, s) => {
        ids[b * seq + s] = BigInt(id);
        mask[b * seq + s] = 1n;
      }),
    );
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [batch, seq]),
      attention_mask: new ort.Tensor('int64', mask, [batch, seq]),
    };
    if (this.wantsTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]);
    const result = await this.session.run(feeds);
    const hidden = result[this.outputName];
    if (!hidden || !(hidden.data instanceof Float32Array) || hidden.dims.length !== 3 || hidden.dims[2] !== EMBED_DIMS)
      throw new EvolveError('CORRUPT', `model output ${this.outputName} is not a float32 [batch, seq, ${EMBED_DIMS}] tensor`);
    const vecs = meanPoolNormalize(hidden.data, mask, batch, seq, EMBED_DIMS);
    hidden.dispose();
    return vecs;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** A few hundred tokens never need more characters than this; keeps a pathological input from stalling the worker. */
function clip(text: string): string {
  return text.length > EMBED_MAX_CHARS ? text.slice(0, EMBED_MAX_CHARS) : text;
}
