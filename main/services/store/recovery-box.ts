// Seals the DB key to the recovery key's X25519 public key, so a rekey can re-wrap without the user's recovery key.
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  deriveKey,
  newScryptParams,
  ScryptParamsSchema,
  SealedSchema,
  seal,
  unseal,
  type ScryptParams,
} from '../../../native/keychain/aead';

// DER prefixes that turn 32 raw bytes into X25519 PKCS#8 / SPKI keys (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const AAD = 'evolve/recovery/v1';

export const BoxSchema = SealedSchema.extend({ epk: z.string() });
export type Box = z.infer<typeof BoxSchema>;

export { ScryptParamsSchema };

function privateFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}
function publicFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}
function rawPublic(k: KeyObject): Buffer {
  return (k.export({ format: 'der', type: 'spki' }) as Buffer).subarray(SPKI_PREFIX.length);
}
function aeadKey(shared: Buffer, epk: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), AAD, 32));
}

/** Derives the recovery key pair from the recovery secret (scrypt, so a guessed key costs real work). */
export async function recoveryKeyPair(secret: Buffer, kdf: ScryptParams): Promise<{ privateKey: KeyObject; publicRaw: Buffer }> {
  const seed = await deriveKey(secret, kdf);
  const privateKey = privateFromSeed(seed);
  return { privateKey, publicRaw: rawPublic(createPublicKey(privateKey)) };
}

export function newRecoveryKdf(N = 2 ** 15): ScryptParams {
  return newScryptParams(N);
}

/** Encrypts `plain` to the recovery public key (ephemeral X25519 + HKDF + AES-256-GCM). */
export function sealToRecovery(publicRaw: Buffer, plain: Buffer): Box {
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublic(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicFromRaw(publicRaw) });
  return { ...seal(aeadKey(shared, epk, publicRaw), plain, AAD), epk: epk.toString('base64') };
}

/** Decrypts a box with the recovery private key; a wrong recovery key is UNAUTHENTICATED. */
export function openWithRecovery(privateKey: KeyObject, box: Box): Buffer {
  const epk = Buffer.from(box.epk, 'base64');
  const recipient = rawPublic(createPublicKey(privateKey));
  const shared = diffieHellman({ privateKey, publicKey: publicFromRaw(epk) });
  return unseal(aeadKey(shared, epk, recipient), box, AAD, 'database key with this recovery key');
}
