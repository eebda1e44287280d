// Builds the right adapter for a validated ProviderConfig (configs live in the encrypted store; keys come from the keychain).
import { EvolveError } from '../../../common/errors';
import { ProviderConfigSchema } from '../../../common/providers/config';
import type { GetSecret, LocalEngineLike, Provider } from '../../../common/providers/provider';
import { AnthropicAdapter } from './anthropic-adapter';
import { readCaFile, type EgressGuard } from './egress-guard';
import { HuggingFaceAdapter } from './huggingface-adapter';
import { LocalAdapter } from './local-adapter';
import { OpenAIAdapter } from './openai-adapter';

export interface ProviderDeps {
  getSecret: GetSecret;
  guard: EgressGuard;
  /** Needed only for kind 'local'. */
  localEngine?: LocalEngineLike;
}

export function createProvider(rawConfig: unknown, deps: ProviderDeps): Provider {
  const parsed = ProviderConfigSchema.safeParse(rawConfig);
  if (!parsed.success)
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `Provider config is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const c = parsed.data;
  const ca = c.kind !== 'local' && c.caFile ? { ca: readCaFile(c.caFile) } : {};
  switch (c.kind) {
    case 'local':
      if (!deps.localEngine) throw new EvolveError('UNAVAILABLE', 'The local engine is not running');
      return new LocalAdapter(c.id, deps.localEngine);
    case 'openai':
      return new OpenAIAdapter({
        id: c.id,
        kind: 'openai',
        requiresKey: true,
        getSecret: deps.getSecret,
        guard: deps.guard,
        ...ca,
        ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
        ...(c.organization ? { organization: c.organization } : {}),
      });
    case 'openai-compatible':
      return new OpenAIAdapter({
        id: c.id,
        kind: 'openai-compatible',
        baseUrl: c.baseUrl,
        requiresKey: c.requiresKey,
        getSecret: deps.getSecret,
        guard: deps.guard,
        ...ca,
      });
    case 'anthropic':
      return new AnthropicAdapter({
        id: c.id,
        getSecret: deps.getSecret,
        guard: deps.guard,
        ...ca,
        ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
      });
    case 'huggingface':
      return new HuggingFaceAdapter({
        id: c.id,
        getSecret: deps.getSecret,
        guard: deps.guard,
        ...ca,
        ...(c.endpointUrl ? { endpointUrl: c.endpointUrl } : {}),
        ...(c.defaultModel ? { defaultModel: c.defaultModel } : {}),
      });
  }
}
