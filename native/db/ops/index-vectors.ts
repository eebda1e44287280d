// Vectors in the store: int8 with a per-vector scale (cosine ignores scale), base64 on the wire, and the exact
// cosine scan — sqlite-vec's SIMD vec_distance_cosine when the extension loaded, a JS loop otherwise.
import * as sqliteVec from 'sqlite-vec';
import type { Database } from '../sqlite';

/** Quantises a float vector to int8 using its own max |x| as the scale (the best precision per vector). */
export function quantizeInt8(v: ArrayLike<number>): Int8Array {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number));
  const out = new Int8Array(v.length);
  if (max === 0) return out;
  const s = 127 / max;
  for (let i = 0; i < v.length; i++) out[i] = Math.round((v[i] as number) * s);
  return out;
}

export const int8ToBase64 = (v: Int8Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
export const base64ToInt8 = (s: string): Int8Array => {
  const b = Buffer.from(s, 'base64');
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** Cosine similarity of two int8 vectors (the JS fallback when sqlite-vec is not loaded). */
export function cosineInt8(a: Int8Array, b: Int8Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const loaded = new WeakSet<Database>();
let loadError: string | null = null;

/**
 * Loads sqlite-vec into a connection. Failure is not fatal (the store never depends on it: vectors are plain
 * BLOB rows) — search then scans in JS. EVOLVE_SQLITE_VEC=off forces the fallback (tests, measurements).
 */
export function loadVectorExtension(db: Database): boolean {
  if (process.env.EVOLVE_SQLITE_VEC === 'off') return false;
  try {
    sqliteVec.load(db);
    loaded.add(db);
    return true;
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    return false;
  }
}

export const hasVectorExtension = (db: Database): boolean => loaded.has(db);
export const vectorExtensionError = (): string | null => loadError;
