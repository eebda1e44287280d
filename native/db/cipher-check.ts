// Independent SQLCipher 4 page check: verifies every page's HMAC-SHA512 with the raw key, without SQLite.
// SQLite3MultipleCiphers has no `PRAGMA cipher_integrity_check` (it answers no rows even for a corrupt file),
// so this is our "cipher's own check"; it also tells a wrong key (no page verifies) from corruption (some do)
// before SQLite ever touches the file.
import { createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** SQLCipher 4 defaults (cipher_compatibility = 4); we never change them so any SQLCipher 4 client can read the file. */
export const SQLCIPHER4 = {
  pageSize: 4096,
  saltSize: 16,
  ivSize: 16,
  hmacSize: 64,
  /** IV + HMAC, rounded up to the AES block size (80 is already a multiple of 16). */
  reserve: 80,
  /** PBKDF2 rounds used to derive the HMAC key from the encryption key (`fast_kdf_iter`). */
  fastKdfIter: 2,
  hmacSaltMask: 0x3a,
} as const;

export interface CipherCheckResult {
  pages: number;
  /** 1-based page numbers whose HMAC did not verify (the first 50). */
  badPages: number[];
  badCount: number;
  /** Bad pages for which the -wal file holds a verifying copy (a checkpoint will overwrite them). */
  healedByWal: number;
}

export type CipherVerdict = 'ok' | 'empty' | 'wrong-key' | 'corrupt';

function hmacKeyFor(key: Buffer, salt: Buffer): Buffer {
  const hmacSalt = Buffer.from(salt.map((b) => b ^ SQLCIPHER4.hmacSaltMask));
  return pbkdf2Sync(key, hmacSalt, SQLCIPHER4.fastKdfIter, 32, 'sha512');
}

/** Checks one encrypted page (as stored on disk) against its HMAC. `pgno` is 1-based. */
export function pageVerifies(page: Buffer, pgno: number, hmacKey: Buffer): boolean {
  const { pageSize, reserve, ivSize, hmacSize, saltSize } = SQLCIPHER4;
  if (page.length !== pageSize) return false;
  const offset = pgno === 1 ? saltSize : 0;
  // HMAC input: ciphertext and IV, then the page number as 4 little-endian bytes (SQLCipher 4 hmac_pgno=LE).
  const dataEnd = pageSize - reserve + ivSize;
  const pn = Buffer.alloc(4);
  pn.writeUInt32LE(pgno);
  const mac = createHmac('sha512', hmacKey).update(page.subarray(offset, dataEnd)).update(pn).digest();
  return timingSafeEqual(mac, page.subarray(dataEnd, dataEnd + hmacSize));
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return n === len ? buf : buf.subarray(0, n);
}

/** Page numbers in `walPath` whose frames verify; frames are 24-byte header + page after a 32-byte file header. */
function walGoodPages(walPath: string, hmacKey: Buffer): Set<number> {
  const good = new Set<number>();
  let fd: number;
  try {
    fd = openSync(walPath, 'r');
  } catch {
    return good;
  }
  try {
    const size = fstatSync(fd).size;
    const frame = 24 + SQLCIPHER4.pageSize;
    for (let pos = 32; pos + frame <= size; pos += frame) {
      const buf = readAt(fd, pos, frame);
      const pgno = buf.readUInt32BE(0);
      if (pgno > 0 && pageVerifies(buf.subarray(24), pgno, hmacKey)) good.add(pgno);
    }
  } finally {
    closeSync(fd);
  }
  return good;
}

/** Verifies every page of `dbPath` with the 32-byte raw `key`. Reads the file only; never writes. */
export function checkCipherPages(dbPath: string, key: Buffer): CipherCheckResult {
  const fd = openSync(dbPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const { pageSize } = SQLCIPHER4;
    const pages = Math.floor(size / pageSize);
    const first = readAt(fd, 0, Math.min(pageSize, size));
    const hmacKey = hmacKeyFor(key, first.subarray(0, SQLCIPHER4.saltSize));
    const bad: number[] = [];
    for (let pgno = 1; pgno <= pages; pgno++) {
      const page = pgno === 1 ? first : readAt(fd, (pgno - 1) * pageSize, pageSize);
      if (!pageVerifies(page, pgno, hmacKey)) bad.push(pgno);
    }
    // A trailing partial page is damage too (SQLCipher files are whole pages).
    if (size % pageSize !== 0) bad.push(pages + 1);
    let healedByWal = 0;
    if (bad.length > 0) {
      const walGood = walGoodPages(`${dbPath}-wal`, hmacKey);
      healedByWal = bad.filter((p) => walGood.has(p)).length;
    }
    return { pages, badPages: bad.slice(0, 50), badCount: bad.length, healedByWal };
  } finally {
    closeSync(fd);
  }
}

/** Classifies a check: nothing verifies → the key is wrong (or the salt itself is damaged); some pages fail → corrupt. */
export function verdictOf(r: CipherCheckResult): CipherVerdict {
  if (r.pages === 0 && r.badCount === 0) return 'empty';
  const unhealed = r.badCount - r.healedByWal;
  if (unhealed <= 0) return 'ok';
  if (r.badCount >= r.pages) return 'wrong-key';
  return 'corrupt';
}
