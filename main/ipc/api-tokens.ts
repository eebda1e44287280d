// Handlers for the `apiTokens` domain: the local server's named tokens (main/services/openai-server/auth).
import { apiTokensContract } from '../../common/contracts/api-tokens';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const apiTokensHandlers = (s: AppServices) =>
  implement(apiTokensContract, {
    list: ({ includeRevoked }) => s.providers.server.tokens.list({ includeRevoked: includeRevoked ?? false }),
    create: (input) => s.providers.server.tokens.create(input),
    revoke: ({ id }) => s.providers.server.tokens.revoke(id),
    setRateLimit: ({ id, rateLimitPerMin }) => s.providers.server.tokens.setRateLimit(id, rateLimitPerMin),
  });
