#!/usr/bin/env node
// Standalone (Node only, no app code): prints the database key from evolve.db.recovery.json and the recovery key,
// so a user can open the database with any SQLCipher 4 client without Evolve Studio. Usage:
//   node scripts/store/recover-key.mjs path/to/evolve.db.recovery.json "XXXX-XXXX-...-XXXX"
// Format (kept deliberately simple to reimplement): recovery key = Crockford base32 of 20 secret bytes + 4 checksum
// chars; seed = scrypt(secret, kdf.salt, N, r, p, 32); X25519 private key = seed; for the box {epk, nonce, ct, tag}:
// shared = X25519(seed, epk); key = HKDF-SHA256(shared, salt = epk || recipientPublic, info = "evolve/recovery/v1", 32);
// plaintext = AES-256-GCM(key, nonce, aad = "evolve/recovery/v1").decrypt(ct, tag) = the 32-byte database key.
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const [file, typed] = process.argv.slice(2);
if (!file || !typed) {
  console.error('usage: recover-key.mjs RECOVERY_JSON RECOVERY_KEY');
  process.exit(2);
}
const clean = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
if (clean.length !== 36 || [...clean].some((c) => !ALPHABET.includes(c))) {
  console.error('a recovery key is 36 characters of Crockford base32');
  process.exit(1);
}
let bits = 0;
let value = 0;
const bytes = [];
for (const ch of clean.slice(0, 32)) {
  value = (value << 5) | ALPHABET.indexOf(ch);
  bits += 5;
  if (bits >= 8) {
    bytes.push((value >>> (bits - 8)) & 255);
    bits -= 8;
  }
}
const secret = Buffer.from(bytes.slice(0, 20));
// The last 4 characters are the first 20 bits of SHA-256(secret) in the same base32: they catch a typo.
const digest = createHash('sha256').update(secret).digest();
const check = [0, 5, 10, 15].map((off) => ALPHABET[(digest.readUInt32BE(0) >>> (27 - off)) & 31]).join('');
if (check !== clean.slice(32)) {
  console.error('the recovery key has a typo (checksum mismatch)');
  process.exit(1);
}
const rec = JSON.parse(readFileSync(file, 'utf8'));
const seed = scryptSync(secret, Buffer.from(rec.kdf.salt, 'base64'), 32, {
  N: rec.kdf.N,
  r: rec.kdf.r,
  p: rec.kdf.p,
  maxmem: 256 * rec.kdf.N * rec.kdf.r + 2 ** 20,
});
const privateKey = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), seed]),
  format: 'der',
  type: 'pkcs8',
});
const spki = (k) => k.export({ format: 'der', type: 'spki' }).subarray(12);
const recipient = spki(createPublicKey(privateKey));
const epk = Buffer.from(rec.current.epk, 'base64');
const shared = diffieHellman({
  privateKey,
  publicKey: createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), epk]), format: 'der', type: 'spki' }),
});
const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), 'evolve/recovery/v1', 32));
try {
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(rec.current.nonce, 'base64'));
  d.setAAD(Buffer.from('evolve/recovery/v1'));
  d.setAuthTag(Buffer.from(rec.current.tag, 'base64'));
  const dbKey = Buffer.concat([d.update(Buffer.from(rec.current.ct, 'base64')), d.final()]);
  console.log(dbKey.toString('hex'));
} catch {
  console.error('this recovery key does not open this recovery file');
  process.exit(1);
}
