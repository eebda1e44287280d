// Which scope each route of the local server needs: every route the server serves maps to one scope, so a token
// reaches only what it was created for. A route that is not listed is not served (404 after authentication).
import type { ApiScope } from '../../../../common/store/api-token-requests';

const POST: Readonly<Record<string, ApiScope>> = {
  '/v1/chat/completions': 'chat',
  '/api/chat': 'chat',
  '/v1/completions': 'completions',
  '/v1/fim/completions': 'completions',
  '/infill': 'completions',
  '/api/generate': 'completions',
  '/v1/embeddings': 'embeddings',
  '/api/show': 'models',
};

/** Discovery and status: the model list editors read before their first request, and the server's own health. */
const GET: Readonly<Record<string, ApiScope>> = {
  '/v1/models': 'models',
  '/api/tags': 'models',
  '/api/ps': 'models',
  '/api/version': 'models',
  '/health': 'models',
  '/': 'models',
};

/** The scope `method path` needs, or null when the server has no such route. */
export function routeScope(method: string, path: string): ApiScope | null {
  if (method === 'POST') return POST[path] ?? null;
  if (method === 'GET') return GET[path] ?? (path.startsWith('/v1/models/') ? 'models' : null);
  return null;
}

/** Every served route with its scope (tests walk it: a route added to the server must be added here). */
export const ROUTE_SCOPES: readonly { method: 'GET' | 'POST'; path: string; scope: ApiScope }[] = [
  ...Object.entries(POST).map(([path, scope]) => ({ method: 'POST' as const, path, scope })),
  ...Object.entries(GET).map(([path, scope]) => ({ method: 'GET' as const, path, scope })),
  { method: 'GET', path: '/v1/models/{id}', scope: 'models' },
];
