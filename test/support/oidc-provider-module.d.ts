// The part of oidc-provider's API the test provider uses (the package ships no types; @types/oidc-provider is not
// installed). Kept minimal and honest: only what test/support/oidc-provider.ts calls.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface KoaContext {
    method: string;
    path: string;
    status: number;
    body: unknown;
  }
  interface Token {
    params?: Record<string, unknown>;
    save(): Promise<string>;
    destroy(): Promise<void>;
    [key: string]: unknown;
  }
  interface GrantInstance {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }
  interface Account {
    accountId: string;
    claims: () => Record<string, unknown>;
  }
  export default class Provider {
    constructor(
      issuer: string,
      config: Record<string, unknown> & {
        findAccount?: (ctx: unknown, id: string) => Account | undefined;
        extraTokenClaims?: (ctx: unknown, token: unknown) => Record<string, unknown> | undefined;
      },
    );
    DeviceCode: { findByUserCode(code: string, opts?: { ignoreExpiration?: boolean }): Promise<Token | undefined> };
    Grant: (new (o: { accountId: string; clientId: string }) => GrantInstance) & { find(id: string): Promise<GrantInstance | undefined> };
    use(mw: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, fn: (ctx: unknown) => void): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
