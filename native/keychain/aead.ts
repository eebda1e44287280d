// AES-256-GCM wrapping under a scrypt-derived key: what the passphrase keychain and the recovery file store.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { EvolveError } from '../../common/errors';

export const ScryptParamsSchema = z.object({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().regex(/^[A-Za-z0-9+/=]+$/),
});
export type ScryptParams = z.infer<typeof ScryptParamsSchema>;

/** Defaults: N=2^15, r=8 (~32 MiB, ~0.1 s): OWASP's floor for scrypt is N=2^17 with r=8 for passwords; tune per use. */
export function newScryptParams(N = 2 ** 15): ScryptParams {
  return { name: 'scrypt', N, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
}

export function deriveKey(secret: string | Buffer, p: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, Buffer.from(p.salt, 'base64'), 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
}

export const SealedSchema = z.object({ nonce: z.string(), ct: z.string(), tag: z.string() });
export type Sealed = z.infer<typeof SealedSchema>;

/** Encrypts `plain` with `key`; `aad` binds the ciphertext to its purpose (it cannot be moved to another entry). */
export function seal(key: Buffer, plain: Buffer, aad: string): Sealed {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return { nonce: nonce.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

/** Decrypts; a wrong key (or a changed file) is UNAUTHENTICATED: GCM cannot tell them apart, and need not. */
export function unseal(key: Buffer, s: Sealed, aad: string, what = 'secret'): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(s.nonce, 'base64'));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(s.ct, 'base64')), d.final()]);
  } catch {
    throw new EvolveError('UNAUTHENTICATED', `Cannot decrypt the ${what}: wrong passphrase or key, or the file was changed`);
  }
}
