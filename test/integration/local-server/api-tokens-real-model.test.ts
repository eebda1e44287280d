// A named token with the real engine (Gemma 3 270M): the openai SDK streams a real chat completion with a `chat`
// token, the same token is refused /v1/completions (403, no generation started), and a `completions` token gets a
// raw completion from the same model. The auth path in front of real generation, not only in front of 404s.
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenService } from '../../../main/services/openai-server/auth/token-service';
import { OpenAICompatibleServer } from '../../../main/services/openai-server/server';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';
import { startRealServer, type RealServer } from './harness';

const SLOW = 240_000;
const MODEL = 'gemma-3-270m-q4_k_m';

describe.skipIf(!HAVE_MODEL)(`named API tokens with the real engine${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const tmp = tempDir('evolve-api-tokens-real-');
  let real: RealServer;
  let store: TestStore;
  let server: OpenAICompatibleServer;
  let baseURL: string;
  let tokens: ApiTokenService;

  beforeAll(async () => {
    real = await startRealServer([MODEL_PATH]);
    store = makeStore(join(tmp.dir, 'evolve.db'), newKey());
    await store.client.open();
    tokens = new ApiTokenService({ store: { ready: true, client: store.client } });
    await tokens.load();
    // A second server over the harness's real backend, this one asking the token service.
    server = new OpenAICompatibleServer({ backend: real.backend, token: real.token, auth: tokens.authorizerFor(null), port: 0 });
    baseURL = `${(await server.start()).url}`;
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    await real?.stop();
    await store?.client.close();
    tmp.cleanup();
  });

  it(
    'chat token: real streamed chat via the SDK; refused raw completions; completions token: real completion',
    async () => {
      const chat = await tokens.create({ name: 'chat-only', scopes: ['chat'], rateLimitPerMin: 10 });
      const sdk = new OpenAI({ apiKey: chat.token, baseURL, maxRetries: 0 });
      let text = '';
      for await (const chunk of await sdk.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Say hi.' }],
        max_tokens: 4,
        temperature: 0,
        stream: true,
      }))
        text += chunk.choices[0]?.delta?.content ?? '';
      expect(text.length).toBeGreaterThan(0);
      const before = real.backend.completions.length;
      await expect(sdk.completions.create({ model: MODEL, prompt: 'def add(', max_tokens: 4 })).rejects.toBeInstanceOf(
        OpenAI.PermissionDeniedError,
      );
      expect(real.backend.completions.length).toBe(before); // refused before any generation

      const comp = await tokens.create({ name: 'completions-only', scopes: ['completions'], rateLimitPerMin: null });
      const sdk2 = new OpenAI({ apiKey: comp.token, baseURL, maxRetries: 0 });
      const r = await sdk2.completions.create({ model: MODEL, prompt: 'def add(a, b):', max_tokens: 4, temperature: 0 });
      expect(r.usage?.completion_tokens).toBeGreaterThan(0);
      expect(real.backend.completions.length).toBe(before + 1);
    },
    SLOW,
  );
});
