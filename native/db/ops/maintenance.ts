// Worker handlers that replace or copy the whole file: online backup, candidate checks, restore, crash-safe rekey.
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { EvolveError } from '../../../common/errors';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { RequestContext } from '../../rpc/serve';
import { checkCipherPages, verdictOf } from '../cipher-check';
import { keyConnection } from '../connection';
import { fromSqlite } from '../errors';
import { AuditChainVerifier } from '../../../common/store/audit';
import { Sqlite, type Database } from '../sqlite';
import type { DbState, OpenSettings } from '../state';
import { sha256Hex } from './audit';

/** Test seam: `EVOLVE_DB_FAULT=<point>` kills the worker there, to prove each step is crash-safe. */
function faultPoint(point: string): void {
  if (process.env.EVOLVE_DB_FAULT === point) process.kill(process.pid, 'SIGKILL');
}

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeDbFiles(p: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${p}${suffix}`, { force: true });
}

/**
 * Copies the open database to `dest` under `keyHex` with the SQLite backup API. The target is keyed through a URI
 * (cipher=sqlcipher&legacy=4&key=x'..'), so the copy is SQLCipher 4 with its own salt. better-sqlite3 checks that
 * dirname(filename) exists, which a `file:` URI fails; so the URI is relative and we chdir to the target folder.
 */
async function backupTo(src: Database, dest: string, keyHex: string, ctx?: RequestContext, pagesPerStep = 256): Promise<number> {
  const prev = process.cwd();
  const uri = `file:${encodeURIComponent(basename(dest))}?cipher=sqlcipher&legacy=4&key=${encodeURIComponent(`x'${keyHex}'`)}`;
  process.chdir(dirname(dest));
  try {
    const res = await src.backup(uri, {
      progress: (info) => {
        if (ctx?.signal.aborted) throw new EvolveError('CANCELLED', 'Backup cancelled');
        ctx?.emit(info);
        // Pages per step (default 1 MiB): big enough to be quick, small enough that other requests interleave.
        return pagesPerStep;
      },
    });
    ctx?.emit(res);
    return res.totalPages;
  } catch (e) {
    rmSync(dest, { force: true });
    if (e instanceof EvolveError) throw e;
    // The message of a failed backup can carry the URI; never let it (it holds the key) reach a log.
    throw new EvolveError('UNAVAILABLE', 'The backup could not be written');
  } finally {
    process.chdir(prev);
  }
}

/** Every check a file must pass before it may replace the database. Opens the file (a private copy, never the user's). */
function candidateProblems(path: string, keyHex: string): string[] {
  if (!existsSync(path)) return ['the file does not exist'];
  const cipher = checkCipherPages(path, Buffer.from(keyHex, 'hex'));
  const verdict = verdictOf(cipher);
  if (verdict === 'empty') return ['the file is empty'];
  if (verdict === 'wrong-key') return ['the key does not open this file'];
  if (verdict === 'corrupt') return [`${cipher.badCount} page(s) fail the cipher check (first: ${cipher.badPages.slice(0, 5).join(', ')})`];
  let db: Database | undefined;
  try {
    db = new Sqlite(path);
    keyConnection(db, keyHex);
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (integrity.length !== 1 || integrity[0] !== 'ok') return integrity.slice(0, 10).map((m) => `integrity_check: ${m}`);
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get();
    if (hasAudit) {
      const v = new AuditChainVerifier(sha256Hex);
      for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Record<string, unknown>>) {
        if (!v.push({ seq: r.seq, at: r.at, kind: r.kind, data: JSON.parse(r.data as string), prevHash: r.prev_hash, hash: r.hash })) break;
      }
      const res = v.result();
      if (!res.ok) return [`audit log: ${res.message}`];
    }
    return [];
  } catch (e) {
    return [fromSqlite(e, 'opening the candidate').message];
  } finally {
    db?.close();
  }
}

export function maintenanceOps(state: DbState, reanchor: () => void) {
  const tmpName = (p: string, tag: string) => `${p}.${tag}-${randomBytes(4).toString('hex')}`;

  const checkCandidate = (p: P<'checkCandidate'>): R<'checkCandidate'> => {
    const key = p.key ?? state.settings.key;
    // Work on a copy: opening a WAL-mode file can create -wal/-shm next to the user's backup.
    const copy = tmpName(state.settings.path, 'candidate');
    try {
      copyFileSync(resolve(p.path), copy);
      const problems = candidateProblems(copy, key);
      return { ok: problems.length === 0, problems };
    } catch (e) {
      return { ok: false, problems: [`cannot read the file: ${(e as Error).message}`] };
    } finally {
      removeDbFiles(copy);
    }
  };

  /**
   * Replaces the open file with `next` (already under `after.key`): close, set the old file aside, rename, reopen.
   * If a step before the rename fails, the old file is put back and reopened with its old key.
   */
  const swapIn = (next: string, asidePath: string | null, after: OpenSettings): void => {
    const wasOpen = state.isOpen;
    const before = wasOpen ? state.settings : after;
    state.close();
    // A stale -wal must never meet the new file. After a TRUNCATE checkpoint it holds nothing; when the old file could
    // not be opened it may, so it goes aside with the file instead of being deleted.
    for (const suffix of ['-wal', '-shm']) {
      if (asidePath && existsSync(`${before.path}${suffix}`)) renameSync(`${before.path}${suffix}`, `${asidePath}${suffix}`);
      else rmSync(`${before.path}${suffix}`, { force: true });
    }
    try {
      if (asidePath) renameSync(before.path, asidePath);
      faultPoint('swap-before-rename');
      renameSync(next, before.path);
    } catch (e) {
      if (asidePath && !existsSync(before.path) && existsSync(asidePath)) renameSync(asidePath, before.path);
      if (wasOpen) state.open(before);
      throw new EvolveError('UNAVAILABLE', `The database file could not be replaced; it was kept as it was (${(e as Error).message})`);
    }
    fsyncPath(dirname(before.path));
    state.open(after);
  };

  return {
    integrityCheck: (): R<'integrityCheck'> => {
      const db = state.db.db;
      db.pragma('wal_checkpoint(TRUNCATE)');
      const sqlite = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      const cipher = checkCipherPages(state.settings.path, Buffer.from(state.settings.key, 'hex'));
      return { ok: sqlite.length === 1 && sqlite[0] === 'ok' && cipher.badCount === 0, sqlite, cipherBadPages: cipher.badPages };
    },

    backup: async (p: P<'backup'>, ctx: RequestContext): Promise<R<'backup'>> => {
      const dest = resolve(p.path);
      const s = state.settings;
      if (dest === resolve(s.path)) throw new EvolveError('INVALID_ARGUMENT', 'The backup cannot overwrite the database itself');
      if (!existsSync(dirname(dest))) throw new EvolveError('NOT_FOUND', `The folder ${dirname(dest)} does not exist`);
      if (existsSync(dest) && !p.overwrite) throw new EvolveError('CONFLICT', `${dest} already exists`);
      const partial = tmpName(dest, 'partial');
      const pages = await backupTo(state.db.db, partial, p.key ?? s.key, ctx, p.pagesPerStep);
      fsyncPath(partial);
      renameSync(partial, dest);
      fsyncPath(dirname(dest));
      return { path: dest, pages, bytes: statSync(dest).size };
    },

    checkCandidate,

    restore: async (p: P<'restore'>): Promise<R<'restore'>> => {
      // A database that failed to open (CORRUPT) is restored by naming it; an open one is the implicit target.
      if (!state.isOpen && !p.target) throw new EvolveError('UNAVAILABLE', 'The database is not open: name the file to restore into');
      const s: OpenSettings = state.isOpen ? state.settings : { ...p.target!, path: resolve(p.target!.path), verify: 'full' };
      const candKey = p.key ?? s.key;
      const copy = tmpName(s.path, 'candidate');
      const next = tmpName(s.path, 'restore');
      let cand: Database | undefined;
      try {
        try {
          copyFileSync(resolve(p.path), copy);
        } catch (e) {
          throw new EvolveError('NOT_FOUND', `Cannot read the backup: ${(e as Error).message}`);
        }
        const problems = candidateProblems(copy, candKey);
        if (problems.length > 0) {
          const code = problems[0] === 'the key does not open this file' ? 'UNAUTHENTICATED' : 'CORRUPT';
          throw new EvolveError(code, `The backup was not restored: ${problems.join('; ')}`, { problems });
        }
        // Re-encrypt the candidate under the current key (a backup may predate a rekey).
        cand = new Sqlite(copy);
        keyConnection(cand, candKey);
        await backupTo(cand, next, s.key);
        cand.close();
        cand = undefined;
        fsyncPath(next);
        const aside = existsSync(s.path) ? `${s.path}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}` : null;
        swapIn(next, aside, s);
        reanchor();
        return { keptAsidePath: aside, schemaVersion: state.db.db.pragma('user_version', { simple: true }) as number };
      } finally {
        cand?.close();
        removeDbFiles(copy);
        rmSync(next, { force: true });
      }
    },

    rekey: async (p: P<'rekey'>): Promise<R<'rekey'>> => {
      const s = state.settings;
      if (p.newKey === s.key) throw new EvolveError('INVALID_ARGUMENT', 'The new key is the current key');
      const next = tmpName(s.path, 'rekey');
      try {
        await backupTo(state.db.db, next, p.newKey);
        const check = checkCipherPages(next, Buffer.from(p.newKey, 'hex'));
        if (verdictOf(check) !== 'ok')
          throw new EvolveError('INTERNAL', 'The re-encrypted copy did not verify; the database keeps its old key');
        fsyncPath(next);
        faultPoint('rekey-before-swap');
        swapIn(next, null, { ...s, key: p.newKey });
        reanchor();
        return { done: true };
      } catch (e) {
        rmSync(next, { force: true });
        throw e;
      }
    },
  };
}
