// The OIDC session of one profile (access, refresh and id tokens) as one JSON secret in the keychain — never in the
// database, the logs or the audit. A secret that does not parse, or belongs to another issuer/client, counts as none.
import { z } from 'zod';
import { decodeJwt, jwtExpiresAt, type JwtClaims } from './jwt';

/** Keychain account of a profile's OIDC session (the bearer token keeps `cluster:<id>:token`). */
export const oidcSessionAccount = (profileId: string): string => `cluster:${profileId}:oidc`;

export const OidcSessionSchema = z
  .object({
    v: z.literal(1),
    issuer: z.string(),
    clientId: z.string(),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    idToken: z.string().min(1).optional(),
    /** ms since epoch: the JWT's exp, else receipt time + expires_in; absent when neither is known. */
    expiresAt: z.number().optional(),
    /** ms since epoch when the access token was received (its lifetime sets the refresh margin). */
    receivedAt: z.number(),
  })
  .strict();
export type OidcSession = z.infer<typeof OidcSessionSchema>;

/** What the keychain port offers (the store's setSecret/getSecret/deleteSecret). */
export interface SecretPort {
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export async function readSession(secrets: SecretPort, profileId: string, issuer: string, clientId: string): Promise<OidcSession | null> {
  const raw = await secrets.get(oidcSessionAccount(profileId));
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = OidcSessionSchema.safeParse(json);
  if (!r.success || r.data.issuer !== issuer || r.data.clientId !== clientId) return null;
  return r.data;
}

export const writeSession = (secrets: SecretPort, profileId: string, s: OidcSession): Promise<void> =>
  secrets.set(oidcSessionAccount(profileId), JSON.stringify(s));

/** A token endpoint answer, as openid-client returns it (only the fields the session keeps). */
export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}

/** Builds the session from a token answer; a refresh that returns no new refresh or id token keeps the old ones. */
export function sessionFrom(
  answer: TokenAnswer,
  issuer: string,
  clientId: string,
  prev?: OidcSession | null,
  now = Date.now(),
): OidcSession {
  const expiresAt = jwtExpiresAt(answer.access_token) ?? (answer.expires_in !== undefined ? now + answer.expires_in * 1000 : undefined);
  const refreshToken = answer.refresh_token ?? prev?.refreshToken;
  const idToken = answer.id_token ?? prev?.idToken;
  return {
    v: 1,
    issuer,
    clientId,
    accessToken: answer.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(idToken ? { idToken } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    receivedAt: now,
  };
}

/** Identity and role claims: the id token's, overlaid with the access token's (what the cluster's proxy sees). */
export function sessionClaims(s: OidcSession): JwtClaims {
  return { ...(s.idToken ? decodeJwt(s.idToken) : null), ...decodeJwt(s.accessToken) };
}
