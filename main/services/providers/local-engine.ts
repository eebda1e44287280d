// LocalEngineLike over the real inference worker client: callback tokens become an async iterable; "local-default" means
// the app's default model (the coding model, loaded on demand) or, without one, the first loaded model.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import type { LocalEngineLike } from '../../../common/providers/provider';
import type { LocalInferenceClient } from '../chat/inference-client';

/** Model id the default routes use, so routing works whichever local model the user loaded. */
export const LOCAL_DEFAULT_MODEL = 'local-default';

type Client = Pick<LocalInferenceClient, 'generate' | 'listLoaded' | 'countTokens'>;

/** The app's default local model (main/services/models/default-model.ts): chosen from what is installed, loaded on demand. */
export interface DefaultModelResolver {
  choose(): Promise<object | undefined>;
  ensureLoaded(signal?: AbortSignal): Promise<string | undefined>;
}

export class InferenceClientEngine implements LocalEngineLike {
  constructor(
    private readonly client: Client,
    private readonly defaults?: DefaultModelResolver,
  ) {}

  private async resolve(model: string, signal?: AbortSignal): Promise<string> {
    if (model !== LOCAL_DEFAULT_MODEL) return model;
    const chosen = await this.defaults?.ensureLoaded(signal);
    if (chosen) return chosen;
    const first = (await this.client.listLoaded())[0];
    if (!first) throw new EvolveError('NOT_FOUND', 'No local model is loaded. Load one in Models first.', { retryable: false });
    return first.modelId;
  }

  async listLoaded(): Promise<{ id: string; contextLength?: number }[]> {
    const loaded = (await this.client.listLoaded()).map((m) => ({ id: m.modelId, contextLength: m.contextSize }));
    // The alias is listed only when it resolves (something is loaded, or a default can be loaded on demand), so the
    // adapter's "is it loaded?" check stays honest.
    const resolvable = loaded.length > 0 || (this.defaults !== undefined && (await this.defaults.choose()) !== undefined);
    return resolvable ? [...loaded, { id: LOCAL_DEFAULT_MODEL, contextLength: loaded[0]?.contextLength ?? 0 }] : loaded;
  }

  async countTokens(model: string, text: string): Promise<number> {
    return (await this.client.countTokens(await this.resolve(model), { text })).count;
  }

  async *generate(
    input: Parameters<LocalEngineLike['generate']>[0],
    params: Parameters<LocalEngineLike['generate']>[1],
    signal: AbortSignal,
  ): AsyncIterable<{ text: string }> {
    const modelId = await this.resolve(input.model, signal);
    const messages = input.messages ?? [{ role: 'user' as const, content: input.prompt ?? '' }];
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: unknown = null;
    const poke = () => {
      wake?.();
      wake = null;
    };
    void this.client
      .generate(
        {
          modelId,
          // A fresh thread per routed call: routed prompts are independent, so no KV reuse is expected.
          threadId: `router-${randomUUID()}`,
          messages,
          sampling: {
            temperature: params.temperature ?? 0.7,
            maxTokens: Math.min(params.maxTokens ?? 512, 32_768),
            ...(params.topP !== undefined ? { topP: params.topP } : {}),
            ...(params.stop?.length ? { stop: params.stop.filter((s) => s.length > 0).slice(0, 16) } : {}),
          },
        },
        {
          signal,
          onToken: (t) => {
            queue.push(t);
            poke();
          },
        },
      )
      .then(
        () => {
          finished = true;
          poke();
        },
        (e: unknown) => {
          failure = e;
          finished = true;
          poke();
        },
      );
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        yield { text: next };
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure) throw failure;
  }
}
