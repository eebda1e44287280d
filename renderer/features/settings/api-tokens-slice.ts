// Local server API tokens for Settings → Local server: the list (no secrets), create (the secret kept here only
// until the user dismisses it), revoke, rate limit.
import type { ApiTokenInfo, ApiScope } from '../../../common/store/api-token-requests';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface ApiTokenDraft {
  name: string;
  scopes: ApiScope[];
  /** Days until it expires; null: never. */
  expiresInDays: number | null;
  /** Requests per minute; null: no limit. */
  rateLimitPerMin: number | null;
}

export interface ApiTokensSlice {
  apiTokens: {
    list: ApiTokenInfo[];
    /** The token just created, shown once; cleared by dismissApiToken (never persisted, never re-fetched). */
    created: { token: string; info: ApiTokenInfo } | null;
    busy: boolean;
    error: UiError | null;
  };
  loadApiTokens(): Promise<void>;
  createApiToken(d: ApiTokenDraft): Promise<boolean>;
  revokeApiToken(id: string): Promise<void>;
  setApiTokenRateLimit(id: string, rateLimitPerMin: number | null): Promise<void>;
  dismissApiToken(): void;
}

const DAY_MS = 86_400_000;

export const createApiTokensSlice: SliceCreator<ApiTokensSlice> = (set, get) => {
  const patch = (p: Partial<ApiTokensSlice['apiTokens']>) => set({ apiTokens: { ...get().apiTokens, ...p } });
  return {
    apiTokens: { list: [], created: null, busy: false, error: null },
    async loadApiTokens() {
      const r = await getApi().apiTokens.list({});
      patch(r.ok ? { list: r.value, error: null } : { error: r.error });
    },
    async createApiToken(d) {
      patch({ busy: true, error: null });
      const r = await getApi().apiTokens.create({
        name: d.name,
        scopes: d.scopes,
        expiresAt: d.expiresInDays === null ? null : Date.now() + d.expiresInDays * DAY_MS,
        rateLimitPerMin: d.rateLimitPerMin,
      });
      patch(r.ok ? { busy: false, created: r.value, list: [r.value.info, ...get().apiTokens.list] } : { busy: false, error: r.error });
      return r.ok;
    },
    async revokeApiToken(id) {
      const r = await getApi().apiTokens.revoke({ id });
      patch(r.ok ? { list: get().apiTokens.list.filter((t) => t.id !== id), error: null } : { error: r.error });
    },
    async setApiTokenRateLimit(id, rateLimitPerMin) {
      const r = await getApi().apiTokens.setRateLimit({ id, rateLimitPerMin });
      patch(r.ok ? { list: get().apiTokens.list.map((t) => (t.id === id ? r.value : t)), error: null } : { error: r.error });
    },
    dismissApiToken() {
      patch({ created: null });
    },
  };
};
