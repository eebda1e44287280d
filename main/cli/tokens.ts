// `evolve tokens create|list|revoke`: the local API server's named tokens from a terminal, through the same service
// as the app (encrypted store); the token is printed once, at creation. A running app sees changes within a second.
import { parseArgs } from 'node:util';
import { EvolveError } from '../../common/errors';
import { API_SCOPES, ApiScopeSchema, type ApiScope, type ApiTokenInfo } from '../../common/store/api-token-requests';
import type { ApiTokenService } from '../services/openai-server/auth/token-service';

export const TOKENS_HELP = `  tokens create NAME    Create a local API server token (printed once: copy it now)
      --scope <s>       chat|completions|embeddings|models (repeat; default chat, completions, models)
      --expires-days <n>  Stop working after n days (default never)
      --rate <n|none>   Requests per minute (default 600)
  tokens list [--all]   Tokens in force (--all: revoked ones too); never the secret
  tokens revoke ID|NAME Revoke a token at once
      --json            (any tokens command) JSON output
`;

const DAY_MS = 86_400_000;
const USAGE = 'Usage: evolve tokens create NAME [--scope s]… [--expires-days n] [--rate n|none] | list [--all] | revoke ID|NAME [--json]';

export interface TokensIo {
  out: (s: string) => void;
  now?: () => number;
}

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

function row(t: ApiTokenInfo): string {
  const state = t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && t.expiresAt <= Date.now() ? 'expired' : 'active';
  return [
    t.id,
    t.name,
    `${t.prefixHint}…`,
    t.scopes.join(','),
    state,
    `created ${when(t.createdAt)}`,
    `expires ${when(t.expiresAt)}`,
    `last used ${when(t.lastUsedAt)}`,
    t.rateLimitPerMin === null ? 'no rate limit' : `${t.rateLimitPerMin}/min`,
  ].join('  ');
}

function parseRate(v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'none') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new EvolveError('INVALID_ARGUMENT', `--rate must be a positive whole number or "none", got ${v}`);
  return n;
}

/** The options of every subcommand; a malformed one is INVALID_ARGUMENT (parseArgs throws a plain TypeError). */
function parsed(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        scope: { type: 'string', multiple: true },
        'expires-days': { type: 'string' },
        rate: { type: 'string' },
        all: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new EvolveError('INVALID_ARGUMENT', `${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
}

/** Runs one `tokens` subcommand against `tokens` (the app's service, opened by the caller). Returns the exit code. */
export async function tokensCommand(args: string[], tokens: ApiTokenService, io: TokensIo): Promise<number> {
  const { values, positionals } = parsed(args);
  const [sub, target, ...extra] = positionals;
  if (extra.length) throw new EvolveError('INVALID_ARGUMENT', USAGE);
  const print = (human: string, json: unknown) => io.out(values.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
  switch (sub) {
    case 'create': {
      if (!target) throw new EvolveError('INVALID_ARGUMENT', USAGE);
      const scopes: ApiScope[] = (values.scope ?? ['chat', 'completions', 'models']).map((s) => {
        const r = ApiScopeSchema.safeParse(s);
        if (!r.success) throw new EvolveError('INVALID_ARGUMENT', `Unknown scope "${s}": use ${API_SCOPES.join(', ')}`);
        return r.data;
      });
      const days = values['expires-days'] === undefined ? null : Number(values['expires-days']);
      if (days !== null && !(Number.isFinite(days) && days > 0))
        throw new EvolveError('INVALID_ARGUMENT', `--expires-days must be a positive number, got ${values['expires-days']}`);
      const rate = parseRate(values.rate);
      const { token, info } = await tokens.create({
        name: target,
        scopes,
        expiresAt: days === null ? null : Math.round((io.now ?? Date.now)() + days * DAY_MS),
        ...(rate !== undefined ? { rateLimitPerMin: rate } : {}),
      });
      print(`${token}\n\nThis is the only time the token is shown: copy it now.\n${row(info)}`, { token, info });
      return 0;
    }
    case 'list': {
      if (target) throw new EvolveError('INVALID_ARGUMENT', USAGE);
      const list = await tokens.list({ includeRevoked: values.all });
      print(list.length ? list.map(row).join('\n') : 'No API tokens (evolve tokens create NAME)', list);
      return 0;
    }
    case 'revoke': {
      if (!target) throw new EvolveError('INVALID_ARGUMENT', USAGE);
      // An id, or the name of a token in force (names are unique among those).
      const match = (await tokens.list()).find((t) => t.id === target || t.name === target);
      if (!match) throw new EvolveError('NOT_FOUND', `No API token in force with the id or name "${target}"`);
      const info = await tokens.revoke(match.id);
      print(`Revoked ${info.name} (${info.prefixHint}…)`, info);
      return 0;
    }
    default:
      throw new EvolveError('INVALID_ARGUMENT', USAGE);
  }
}
