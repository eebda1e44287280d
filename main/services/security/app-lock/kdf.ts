// argon2id key derivation for the app lock (via @node-rs/argon2, an N-API prebuilt that also loads in Electron).
import { randomBytes } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import { z } from 'zod';

export const Argon2ParamsSchema = z.object({
  name: z.literal('argon2id'),
  /** Memory in KiB. */
  m: z
    .number()
    .int()
    .min(8)
    .max(4 * 1024 * 1024),
  t: z.number().int().min(1).max(100),
  p: z.number().int().min(1).max(16),
  salt: z.string().regex(/^[A-Za-z0-9+/=]+$/),
});
export type Argon2Params = z.infer<typeof Argon2ParamsSchema>;

/** Shipped cost: 64 MiB, 3 passes, 1 lane (above OWASP's argon2id floor of 19 MiB/t=2); stored per file so it can rise. */
export const SHIPPED_ARGON2 = { m: 64 * 1024, t: 3, p: 1 } as const;

export function newArgon2Params(cost: { m: number; t: number; p: number } = SHIPPED_ARGON2): Argon2Params {
  return { name: 'argon2id', ...cost, salt: randomBytes(16).toString('base64') };
}

/** The 32-byte key-encryption key for `passphrase` under `p`. */
export async function deriveKek(passphrase: string, p: Argon2Params): Promise<Buffer> {
  const raw = await hashRaw(passphrase.normalize('NFKC'), {
    // Algorithm.Argon2id: the package's enum is an ambient const enum, which isolatedModules cannot read.
    algorithm: 2,
    memoryCost: p.m,
    timeCost: p.t,
    parallelism: p.p,
    outputLen: 32,
    salt: Buffer.from(p.salt, 'base64'),
  });
  return Buffer.from(raw);
}
