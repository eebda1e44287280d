// Worker side of the audit log: hash-chained appends, filtered listing, verify (with an external head anchor), JSONL export.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import {
  AuditChainVerifier,
  GENESIS_HASH,
  auditHashInput,
  canonicalJson,
  type AuditEvent,
  type AuditRow,
} from '../../../common/store/audit';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { Json } from '../../../common/store/rows';
import type { StoreDb } from '../connection';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

type Raw = { seq: number; at: number; kind: string; data: string; prev_hash: string; hash: string };
const toRow = (r: Raw): AuditRow => ({
  seq: r.seq,
  at: r.at,
  kind: r.kind,
  data: JSON.parse(r.data) as Json,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const AnchorSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string(), mac: z.string() });

/**
 * The head of the chain (last seq + hash) kept in a small file beside the database, MAC'd with a key derived from the
 * DB key. A hash chain alone cannot show that its last rows were deleted; the anchor can.
 */
export class AuditAnchor {
  constructor(
    private readonly path: string,
    private keyHex: string,
  ) {}

  setKey(keyHex: string): void {
    this.keyHex = keyHex;
  }

  private mac(seq: number, hash: string): string {
    const k = createHmac('sha256', Buffer.from(this.keyHex, 'hex')).update('evolve/audit-anchor/v1').digest();
    return createHmac('sha256', k).update(`${seq}:${hash}`).digest('hex');
  }

  write(seq: number, hash: string): void {
    // Temp file + rename so a crash never leaves a half-written (and so 'invalid') anchor; no fsync: the anchor may lag a
    // crash by a row, which verify tolerates (it checks the row at anchor.seq).
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ seq, hash, mac: this.mac(seq, hash) }), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /** Cheap presence check (a stat) for the append path. */
  exists(): boolean {
    return existsSync(this.path);
  }

  /** The anchor, 'missing' (no file) or 'invalid' (unreadable or MAC mismatch). */
  read(): { seq: number; hash: string } | 'missing' | 'invalid' {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return 'missing';
    }
    try {
      const a = AnchorSchema.parse(JSON.parse(text));
      const want = Buffer.from(this.mac(a.seq, a.hash), 'hex');
      const got = Buffer.from(a.mac, 'hex');
      return got.length === want.length && timingSafeEqual(got, want) ? { seq: a.seq, hash: a.hash } : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

export function auditOps(db: () => StoreDb, anchor: () => AuditAnchor) {
  /** Appends inside the caller's transaction if there is one (settings changes are audited atomically with the write). */
  const append = (ev: AuditEvent, at = Date.now()): AuditRow => {
    const row = db().tx(() => {
      const head = db().get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
      const base = {
        seq: (head?.seq ?? 0) + 1,
        at,
        kind: ev.kind,
        data: JSON.parse(canonicalJson(ev.data)) as Json,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const r: AuditRow = { ...base, hash: sha256Hex(auditHashInput(base)) };
      db().run(
        'INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
        r.seq,
        r.at,
        r.kind,
        canonicalJson(r.data),
        r.prevHash,
        r.hash,
      );
      return r;
    });
    if (!db().db.inTransaction) advanceAnchor(row.seq, row.hash);
    return row;
  };

  /**
   * Moves the anchor to a new head. A log that already had rows but has no anchor file stays without one: re-creating
   * it here would bless whatever tail an attacker left after deleting the file, so verify keeps reporting it until a
   * restore or rekey re-anchors deliberately (`resetAnchor`).
   */
  const advanceAnchor = (seq: number, hash: string): void => {
    if (seq > 1 && !anchor().exists()) return;
    anchor().write(seq, hash);
  };

  const currentHead = () =>
    db().get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1') ?? { seq: 0, hash: GENESIS_HASH };

  /** Moves the anchor to the current head after an outer transaction that appended (settings changes). */
  const reanchor = (): void => {
    const head = currentHead();
    advanceAnchor(head.seq, head.hash);
  };

  /** Re-anchors unconditionally: the log was legitimately replaced (restore from a backup, rekey). */
  const resetAnchor = (): void => {
    const head = currentHead();
    anchor().write(head.seq, head.hash);
  };

  const verify = (): R<'audit.verify'> => {
    const a = anchor().read();
    const v = new AuditChainVerifier(sha256Hex, typeof a === 'object' ? a : undefined);
    for (const r of db().db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Raw>) {
      let row: unknown;
      try {
        row = toRow(r);
      } catch {
        row = { seq: r.seq };
      }
      if (!v.push(row)) break;
    }
    const res = v.result();
    if (res.ok && a === 'missing' && res.count > 0) {
      // Rows exist, so an anchor was written with the first of them: its absence hides how long the log really was.
      return {
        ok: false,
        count: res.count,
        position: res.count + 1,
        reason: 'truncated',
        message: `the recorded head of the log is missing: rows after ${res.count} may have been removed`,
      };
    }
    if (res.ok && a === 'invalid') {
      return {
        ok: false,
        count: res.count,
        position: Math.max(1, res.count),
        reason: 'truncated',
        message: 'the recorded head of the log was altered',
      };
    }
    return res;
  };

  return {
    append,
    reanchor,
    resetAnchor,
    verify,
    handlers: {
      'audit.append': (p: P<'audit.append'>): R<'audit.append'> => {
        const { at, ...ev } = p as P<'audit.append'> & { at?: number };
        return append(ev as AuditEvent, at);
      },
      'audit.list': (p: P<'audit.list'>): R<'audit.list'> => {
        const where = ['seq > ?'];
        const args: unknown[] = [p.afterSeq];
        if (p.kinds && p.kinds.length > 0) {
          where.push(`kind IN (${p.kinds.map(() => '?').join(',')})`);
          args.push(...p.kinds);
        }
        if (p.since !== undefined) {
          where.push('at >= ?');
          args.push(p.since);
        }
        if (p.until !== undefined) {
          where.push('at <= ?');
          args.push(p.until);
        }
        return db()
          .all<Raw>(`SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, ...args, p.limit)
          .map(toRow);
      },
      'audit.verify': verify,
      'audit.export': (p: P<'audit.export'>): R<'audit.export'> => {
        // Written to a temp name and renamed, so a half-written export never looks complete.
        const tmp = `${p.path}.partial`;
        let fd: number;
        try {
          fd = openSync(tmp, 'w', 0o600);
        } catch (e) {
          throw new EvolveError('UNAVAILABLE', `Cannot write the export: ${(e as Error).message}`);
        }
        let count = 0;
        try {
          for (const r of db().db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Raw>) {
            writeSync(fd, `${canonicalJson(toRow(r))}\n`);
            count++;
          }
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, p.path);
        return { path: p.path, count };
      },
    },
  };
}
