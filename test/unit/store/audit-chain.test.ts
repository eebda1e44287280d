// Unit tests for the pure audit chain: canonical JSON, hashing, and every tamper case the verifier must catch.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditChainVerifier, GENESIS_HASH, auditHashInput, canonicalJson, type AuditRow } from '../../../common/store/audit';
import type { Json } from '../../../common/store/rows';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const base = { seq: i, at: 1000 + i, kind: 'file.applied', data: { path: `f${i}.ts` } as Json, prevHash: prev };
    const r = { ...base, hash: sha(auditHashInput(base)) };
    rows.push(r);
    prev = r.hash;
  }
  return rows;
}
function verify(rows: unknown[], anchor?: { seq: number; hash: string }) {
  const v = new AuditChainVerifier(sha, anchor);
  for (const r of rows) if (!v.push(r)) break;
  return v.result();
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('refuses non-JSON values', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('AuditChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const rows = chain(5);
    expect(verify(rows)).toEqual({ ok: true, count: 5, headHash: rows[4]?.hash });
    expect(verify([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });
  it('catches an edited row at its position', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, data: { path: 'evil.ts' } };
    expect(verify(rows)).toMatchObject({ ok: false, position: 3, reason: 'hash-mismatch', count: 2 });
  });
  it('catches an edited row whose hash was recomputed, at the next row', () => {
    const rows = chain(5);
    const base = { ...rows[2]!, data: { path: 'evil.ts' } as Json };
    rows[2] = { ...base, hash: sha(auditHashInput(base)) };
    expect(verify(rows)).toMatchObject({ ok: false, position: 4, reason: 'chain-broken' });
  });
  it('catches a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verify(rows)).toMatchObject({ ok: false, position: 2, reason: 'sequence-gap' });
  });
  it('catches an inserted row', () => {
    const rows = chain(5);
    const fake = { seq: 3, at: 1, kind: 'file.applied', data: {}, prevHash: rows[1]!.hash };
    const renumbered = rows.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }));
    expect(verify([rows[0], rows[1], { ...fake, hash: sha(auditHashInput(fake)) }, ...renumbered])).toMatchObject({
      ok: false,
      position: 4,
      reason: 'chain-broken',
    });
  });
  it('catches reordered rows', () => {
    const rows = chain(5);
    const swapped = [rows[0], { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3], rows[4]];
    expect(verify(swapped)).toMatchObject({ ok: false, position: 2, reason: 'chain-broken' });
  });
  it('catches a deleted tail only with an anchor', () => {
    const rows = chain(5);
    expect(verify(rows.slice(0, 3)).ok).toBe(true);
    expect(verify(rows.slice(0, 3), { seq: 5, hash: rows[4]!.hash })).toMatchObject({ ok: false, position: 4, reason: 'truncated' });
    expect(verify(rows, { seq: 5, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, position: 5, reason: 'chain-broken' });
  });
  it('reports malformed rows', () => {
    expect(verify([{ seq: 1, nope: true }])).toMatchObject({ ok: false, position: 1, reason: 'malformed' });
  });
});
