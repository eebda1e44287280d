// Maps a declared column type (SQL, SQLAlchemy or Prisma) to the kind of values synthetic rows get and to SQLite's type.
import type { ColumnKind } from './types';

/** The kind of a SQL type name (`VARCHAR(255)`, `BIGSERIAL`, `timestamptz`, `Boolean`, `DateTime`…); unknown → text. */
export function kindOfType(type: string): ColumnKind {
  const t = type.toLowerCase();
  if (/bool/.test(t)) return 'boolean';
  if (/date|time/.test(t)) return 'datetime';
  if (/int|serial/.test(t)) return 'integer';
  if (/real|floa|doub|numeric|decimal|money/.test(t)) return 'real';
  if (/blob|bytea|binary|bytes/.test(t)) return 'blob';
  return 'text';
}

/** SQLite declared type of a kind (booleans and dates as SQLite stores them: integers and ISO text). */
export function sqliteType(kind: ColumnKind): string {
  switch (kind) {
    case 'integer':
    case 'boolean':
      return 'INTEGER';
    case 'real':
      return 'REAL';
    case 'blob':
      return 'BLOB';
    default:
      return 'TEXT';
  }
}

/** Types that exist in PostgreSQL and not in SQLite's usual vocabulary: a sign the project's database is PostgreSQL. */
export function isPostgresType(type: string): boolean {
  return /^(big|small)?serial$|^timestamptz$|^jsonb$|^uuid$|^bytea$|^citext$|^inet$/i.test(type.trim());
}
