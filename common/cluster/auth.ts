// How a cluster profile authenticates (none, a bearer token, OIDC device-code sign-in) and what the page sees of a
// sign-in (who, role from claims, expiry) — no secret is ever in these shapes; tokens live only in the keychain.
import { z } from 'zod';
import { ClusterRoleSchema } from './roles';

export const AUTH_MODES = ['none', 'bearer', 'oidc'] as const;
export const AuthModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof AuthModeSchema>;

const ClaimName = z.string().regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'a claim name: letters, digits and _ : . / -');

/** OIDC settings of a profile: the issuer's device-code flow, and how a claim maps to a role. No client secret (public client). */
export const OidcSettingsSchema = z
  .object({
    /** Issuer URL (discovery at /.well-known/openid-configuration); https, or http on a loopback host only. */
    issuer: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL'),
    clientId: z.string().min(1).max(200),
    /** Space-separated; offline_access asks for a refresh token. */
    scopes: z.string().min(1).max(1000).default('openid profile email offline_access'),
    /** Sent as `audience` (Auth0, Keycloak) and `resource` (RFC 8707) when set: the proxy in front of the cluster. */
    audience: z.string().min(1).max(500).optional(),
    /** Claim holding the user's groups or roles (e.g. "groups"); unset = roles stay local. */
    roleClaim: ClaimName.optional(),
    /** Claim value → role; the highest matching role wins, no match = viewer. */
    roleMap: z.record(z.string().min(1).max(200), ClusterRoleSchema).default({}),
  })
  .strict();
export type OidcSettings = z.output<typeof OidcSettingsSchema>;
export type OidcSettingsInput = z.input<typeof OidcSettingsSchema>;

export const ClusterAuthSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('bearer') }).strict(),
  z.object({ mode: z.literal('oidc'), oidc: OidcSettingsSchema }).strict(),
]);
export type ClusterAuth = z.output<typeof ClusterAuthSchema>;
export type ClusterAuthInput = z.input<typeof ClusterAuthSchema>;

/** What the page shows about a profile's credentials: never the token, only who, until when, and the role claims give. */
export const AuthStatusSchema = z.object({
  profileId: z.string(),
  mode: AuthModeSchema,
  signedIn: z.boolean(),
  /** `sub` (and email/name when the id token has them). */
  subject: z.string().optional(),
  email: z.string().optional(),
  /** Access-token expiry (ms since epoch) when the token is a JWT with `exp`; absent for opaque tokens. */
  expiresAt: z.number().optional(),
  /** True when the access token has expired (a refresh token may still renew it). */
  expired: z.boolean().default(false),
  canRefresh: z.boolean().default(false),
  roleFromClaims: ClusterRoleSchema.nullable().default(null),
  /** URLs of the profile a token would go to over plain http:// (dashboard, Prometheus, Alertmanager). */
  httpUrls: z.array(z.string()).default([]),
  /** True when those http:// URLs are refused (non-loopback and the profile refuses tokens over http). */
  httpRefused: z.boolean().default(false),
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

/** The device-code prompt: what the user types where (RFC 8628 §3.2). */
export const DeviceCodePromptSchema = z.object({
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  /** When the code stops working (ms since epoch). */
  expiresAt: z.number(),
  /** Seconds between polls the server asked for. */
  intervalS: z.number(),
  /** QR code (SVG, made locally) of the verification URL with the code filled in, for signing in on a phone. */
  qrSvg: z.string().max(200_000).optional(),
});
export type DeviceCodePrompt = z.infer<typeof DeviceCodePromptSchema>;

/** "expires in 3 h", "expires in 12 min", "expired 5 min ago" — for bearer JWTs and OIDC access tokens. */
export function expiryText(expiresAt: number, now = Date.now()): string {
  const d = expiresAt - now;
  const span = (ms: number) => {
    const s = Math.round(Math.abs(ms) / 1000);
    if (s < 90) return `${s} s`;
    if (s < 90 * 60) return `${Math.round(s / 60)} min`;
    if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
    return `${Math.round(s / 86400)} days`;
  };
  return d > 0 ? `expires in ${span(d)}` : `expired ${span(d)} ago`;
}
