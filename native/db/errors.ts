// Maps SQLite errors to the app's typed error codes (messages stay readable; SQL text and keys are never included).
import { EvolveError } from '../../common/errors';

interface SqliteLike {
  code?: unknown;
  message?: unknown;
}

/** Converts anything a better-sqlite3 call threw into an EvolveError; EvolveErrors pass through. */
export function fromSqlite(e: unknown, what: string): EvolveError {
  if (e instanceof EvolveError) return e;
  const code = typeof (e as SqliteLike)?.code === 'string' ? ((e as SqliteLike).code as string) : '';
  const msg = typeof (e as SqliteLike)?.message === 'string' ? ((e as SqliteLike).message as string) : String(e);
  if (code === 'SQLITE_NOTADB')
    return new EvolveError('UNAUTHENTICATED', `${what}: the database key is wrong or the file is not a database`, { sqlite: code });
  if (code.startsWith('SQLITE_CORRUPT'))
    return new EvolveError('CORRUPT', `${what}: the database file is damaged`, { sqlite: code, restoreAvailable: true });
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return new EvolveError('CONFLICT', `${what}: already exists`, { sqlite: code });
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return new EvolveError('NOT_FOUND', `${what}: a referenced item does not exist`, { sqlite: code });
  if (code.startsWith('SQLITE_CONSTRAINT')) return new EvolveError('INVALID_ARGUMENT', `${what}: ${msg}`, { sqlite: code });
  if (code === 'SQLITE_FULL') return new EvolveError('RESOURCE_EXHAUSTED', `${what}: the disk is full`, { sqlite: code });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new EvolveError('UNAVAILABLE', `${what}: the database is busy`, { sqlite: code });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY')) {
    return new EvolveError('UNAVAILABLE', `${what}: cannot read or write the database file (${code})`, { sqlite: code });
  }
  return new EvolveError('INTERNAL', `${what}: ${msg}`, code ? { sqlite: code } : undefined);
}
