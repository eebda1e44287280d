// The pure parts of SQL plans: placeholders normalised, filters/joins/sort keys per table (aliases resolved), the
// column each `?` meets, and which index is proposed for a full scan — or none when a key or index already serves it.
import { describe, expect, it } from 'vitest';
import { analyzeQuery } from '../../../../main/services/perf/sql/analyze';
import { toQueryPlan } from '../../../../main/services/perf/sql/explain';
import { proposeIndexes } from '../../../../main/services/perf/sql/propose';
import { looksLikeSql, normalizeParams, splitStatements } from '../../../../main/services/perf/sql/tokens';
import type { SchemaColumn, SchemaTable } from '../../../../main/services/perf/sql/types';

const col = (name: string, extra: Partial<SchemaColumn> = {}): SchemaColumn => ({
  name,
  kind: 'integer',
  primaryKey: false,
  unique: false,
  notNull: false,
  ...extra,
});
const TABLES: SchemaTable[] = [
  {
    name: 'users',
    columns: [col('id', { primaryKey: true }), col('email', { kind: 'text', unique: true }), col('status'), col('age')],
    source: { file: 's.sql', line: 1 },
  },
  {
    name: 'orders',
    columns: [col('id', { primaryKey: true }), col('user_id'), col('total'), col('created_at')],
    source: { file: 's.sql', line: 2 },
  },
];
const schema = { tables: TABLES, indexes: [] };
const scan = (...tables: string[]) => ({ rows: tables.map((t, i) => ({ id: i, parent: 0, detail: `SCAN ${t}` })), fullScans: tables });

describe('tokens', () => {
  it('rewrites every placeholder style to ? but leaves strings, casts and comments alone', () => {
    expect(normalizeParams("SELECT a::int FROM t WHERE b = $1 AND c = %s AND d = :name AND e = '?' -- ?\n AND f = %(g)s")).toEqual({
      sql: "SELECT a::int FROM t WHERE b = ? AND c = ? AND d = ? AND e = '?' -- ?\n AND f = ?",
      params: 4,
    });
  });

  it('tells SQL statements from prose and broken text', () => {
    expect(looksLikeSql('select 1')).toBe(true);
    expect(looksLikeSql('INSERT OR REPLACE INTO t VALUES (?)')).toBe(true);
    expect(looksLikeSql('Update the README and set the version')).toBe(false);
    expect(looksLikeSql('delete this file?')).toBe(false);
    expect(looksLikeSql('Select the rows from the table')).toBe(false);
    expect(looksLikeSql("SELECT * FROM notes WHERE body = 'see the docs'")).toBe(true);
    expect(looksLikeSql('with great power comes great responsibility')).toBe(false);
    expect(looksLikeSql("SELECT * FROM t WHERE a = 'x")).toBe(false);
  });

  it('splits scripts at top-level semicolons only', () => {
    expect(splitStatements("CREATE TABLE a (b TEXT DEFAULT ';'); /* ; */ CREATE INDEX i ON a (b)").map((s) => s.sql)).toEqual([
      "CREATE TABLE a (b TEXT DEFAULT ';')",
      'CREATE INDEX i ON a (b)',
    ]);
  });
});

describe('analyzeQuery', () => {
  it('resolves aliases and unqualified columns, and maps each ? to its column', () => {
    const shape = analyzeQuery(
      'SELECT u.email FROM users AS u JOIN orders o ON o.user_id = u.id WHERE status = ? AND o.total > ? ORDER BY o.created_at LIMIT ?',
      TABLES,
    );
    expect(shape.tables).toEqual([
      { table: 'users', alias: 'u' },
      { table: 'orders', alias: 'o' },
    ]);
    expect(shape.equalities).toEqual([{ table: 'users', column: 'status' }]);
    expect(shape.ranges).toEqual([{ table: 'orders', column: 'total' }]);
    expect(shape.joins).toEqual([
      { table: 'orders', column: 'user_id' },
      { table: 'users', column: 'id' },
    ]);
    expect(shape.orderBy).toEqual([{ table: 'orders', column: 'created_at' }]);
    expect(shape.params).toEqual([{ table: 'users', column: 'status' }, { table: 'orders', column: 'total' }, null]);
  });
});

describe('proposeIndexes', () => {
  it('puts equalities before the range column in a composite index', () => {
    const sql = 'SELECT * FROM orders WHERE created_at >= ? AND user_id = ? AND total = ?';
    expect(proposeIndexes(schema, sql, scan('orders'))).toEqual([
      {
        table: 'orders',
        columns: ['user_id', 'total', 'created_at'],
        ddl: 'CREATE INDEX "ix_orders_user_id_total_created_at" ON "orders" ("user_id", "total", "created_at")',
        reason: 'orders is scanned in full to filter on user_id, total, created_at',
      },
    ]);
  });

  it('falls back to the join column, then the sort key; nothing for a bare scan or a key lookup', () => {
    expect(proposeIndexes(schema, 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id', scan('orders'))[0]?.columns).toEqual([
      'user_id',
    ]);
    expect(proposeIndexes(schema, 'SELECT * FROM orders ORDER BY created_at DESC', scan('orders'))[0]?.columns).toEqual(['created_at']);
    expect(proposeIndexes(schema, 'SELECT count(*) FROM orders', scan('orders'))).toEqual([]);
    expect(proposeIndexes(schema, 'SELECT * FROM users WHERE id = ?', scan('users'))).toEqual([]);
  });

  it('proposes nothing when a unique column or an existing index already leads with the columns', () => {
    expect(proposeIndexes(schema, 'SELECT * FROM users WHERE email = ?', scan('users'))).toEqual([]);
    const indexed = { tables: TABLES, indexes: [{ name: 'ix', table: 'orders', columns: ['total', 'user_id', 'id'], unique: false }] };
    expect(proposeIndexes(indexed, 'SELECT * FROM orders WHERE user_id = ? AND total = ?', scan('orders'))).toEqual([]);
    // The same index does not serve user_id alone (it does not lead with it).
    expect(proposeIndexes(indexed, 'SELECT * FROM orders WHERE user_id = ?', scan('orders'))[0]?.columns).toEqual(['user_id']);
  });

  it('reads full scans from plan rows by alias, and not index scans', () => {
    const plan = toQueryPlan(
      [
        [2, 0, 'SCAN o'],
        [4, 0, 'SCAN u USING COVERING INDEX ix'],
        [6, 0, 'SCAN TABLE users AS x'],
      ],
      'SELECT * FROM orders o, users u WHERE o.total = ?',
      { tables: TABLES },
      [],
    );
    expect(plan.fullScans).toEqual(['orders', 'users']);
    expect(plan.notes).toBeUndefined();
  });
});
