// SQL plans on a real scratch SQLite in the sandbox: a full scan, the proposed index turning it into a SEARCH, the
// index proven faster over three table sizes, an index the query cannot use 'not-proven', and bad input refused.
import { describe, expect, it } from 'vitest';
import { IndexVerificationSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { findQueries } from '../../../../main/services/perf/sql/find-queries';
import { explainQuery, POSTGRES_NOTE } from '../../../../main/services/perf/sql/explain';
import { proposeIndexes } from '../../../../main/services/perf/sql/propose';
import { scratchSchema } from '../../../../main/services/perf/sql/schema';
import { verifyIndex } from '../../../../main/services/perf/sql/verify';

const support = await sandboxSupport();
const SCHEMA = {
  'db/schema.sql': `
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, status TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), total REAL, created_at TIMESTAMP);
  `,
};
const LOOKUP = 'SELECT id, name FROM users WHERE email = ?';

describe.skipIf(!support.available)('explainQuery + proposeIndexes + verifyIndex', () => {
  it('shows a full scan, proposes an index on the filtered column, and the plan then searches with it', async () => {
    const schema = await scratchSchema(SCHEMA);
    const before = await explainQuery(schema, LOOKUP);
    expect(before.rows.map((r) => r.detail)).toEqual(['SCAN users']);
    expect(before.fullScans).toEqual(['users']);
    const [proposal, ...more] = proposeIndexes(schema, LOOKUP, before);
    expect(more).toEqual([]);
    expect(proposal).toMatchObject({ table: 'users', columns: ['email'] });
    const after = await explainQuery({ ...schema, ddl: [...schema.ddl, proposal!.ddl] }, LOOKUP);
    expect(after.rows[0]!.detail).toBe('SEARCH users USING INDEX ix_users_email (email=?)');
    expect(after.fullScans).toEqual([]);
    expect(
      proposeIndexes({ ...schema, indexes: [{ name: 'ix', table: 'users', columns: ['email'], unique: false }] }, LOOKUP, before),
    ).toEqual([]);
  });

  it('proposes a composite index for two equalities and a range, on the aliased table of a join', async () => {
    const schema = await scratchSchema(SCHEMA);
    const sql = 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.user_id = $1 AND o.created_at > $2 AND o.total = $3';
    const plan = await explainQuery(schema, sql);
    expect(plan.fullScans).toEqual(['orders']);
    expect(plan.notes).toContain(POSTGRES_NOTE);
    expect(proposeIndexes(schema, sql, plan).map((p) => p.columns)).toEqual([['user_id', 'total', 'created_at']]);
  });

  it('refuses a query SQLite cannot plan with a typed error', async () => {
    const schema = await scratchSchema(SCHEMA);
    await expect(explainQuery(schema, 'SELECT * FROM missing WHERE x = ?')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/no such table: missing/) as unknown,
    });
    await expect(explainQuery(schema, '  ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('proves an index on an equality lookup faster at three sizes, with the plan after using it', async () => {
    const schema = await scratchSchema(SCHEMA);
    const ddl = 'CREATE INDEX ix_users_email ON users (email)';
    const r = await verifyIndex(schema, LOOKUP, ddl, { sizes: [2000, 6000, 18000], repeats: 6 });
    expect(r.planBefore.fullScans).toEqual(['users']);
    expect(r.usesIndex).toBe(true);
    expect(r.planAfter.rows[0]!.detail).toMatch(/USING INDEX ix_users_email/);
    expect(r.verdict).toBe('faster');
    expect(IndexVerificationSchema.parse(r)).toEqual(r);
    expect(r.sizes.map((s) => s.n)).toEqual([2000, 6000, 18000]);
    expect(r.sizes.at(-1)!.speedup.low).toBeGreaterThan(1.1);
    // A scan grows with the table; a B-tree search hardly does.
    expect(r.slope.before).toBeGreaterThan(0.6);
    expect(r.slope.after).toBeLessThan(r.slope.before - 0.4);
  }, 90_000);

  it("calls an index the query cannot use 'not-proven', whatever the timings", async () => {
    const schema = await scratchSchema(SCHEMA);
    const r = await verifyIndex(schema, LOOKUP, 'CREATE INDEX ix_users_name ON users (name)', { sizes: [500, 1000, 2000], repeats: 3 });
    expect(r.usesIndex).toBe(false);
    expect(r.verdict).toBe('not-proven');
    expect(r.reason).toMatch(/does not use the index/);
  }, 90_000);

  it('refuses bad requests with typed errors, most before anything runs', async () => {
    const schema = await scratchSchema(SCHEMA);
    await expect(verifyIndex(schema, LOOKUP, 'DROP TABLE users', { sizes: [1, 2, 3] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      verifyIndex(schema, LOOKUP, 'CREATE INDEX a ON users (email); DROP TABLE users', { sizes: [1, 2, 3] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(verifyIndex(schema, LOOKUP, 'CREATE INDEX a ON users (email)', { sizes: [10, 20] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/at least three/) as unknown,
    });
    await expect(verifyIndex(schema, 'SELECT 1', 'CREATE INDEX a ON users (email)', { sizes: [1, 2, 3] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // Only SQLite can tell that this column does not exist: the run reports it as a typed error, not a crash.
    await expect(
      verifyIndex(schema, 'SELECT * FROM users WHERE nickname = ?', 'CREATE INDEX a ON users (email)', { sizes: [5, 10, 20] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/no such column: nickname/) as unknown });
  });

  it('takes an ORM project from its code to a SEARCH: SQLAlchemy and Prisma queries found, explained, indexed', async () => {
    const files = {
      'app/models.py': [
        'class User(Base):',
        '    __tablename__ = "users"',
        '    id = Column(Integer, primary_key=True)',
        '    email = Column(String, unique=True)',
        '    country = Column(String)',
      ].join('\n'),
      'app/service.py': 'def by_country(s, c):\n    return s.query(User).filter_by(country=c).all()\n',
      'prisma/schema.prisma': 'model Post {\n  id Int @id\n  slug String\n  views Int\n}\n',
      'web/posts.ts': 'export const top = (db: Db) => db.post.findMany({ where: { views: { gt: 100 } } });\n',
    };
    const schema = await scratchSchema(files);
    const queries = await findQueries(files);
    expect(queries.map((q) => q.origin)).toEqual(['sqlalchemy', 'prisma']);
    for (const q of queries) {
      const plan = await explainQuery(schema, q.sql);
      expect(plan.fullScans).toHaveLength(1);
      const [proposal] = proposeIndexes(schema, q.sql, plan);
      const after = await explainQuery({ ...schema, ddl: [...schema.ddl, proposal!.ddl] }, q.sql);
      expect(after.fullScans).toEqual([]);
      expect(after.rows.map((r) => r.detail).join('\n')).toMatch(/^SEARCH \S+ USING INDEX ix_/);
    }
  });

  it('times a write (each call rolled back to a savepoint) on quoted names with spaces and proves its index', async () => {
    const schema = await scratchSchema({
      'm.sql': 'CREATE TABLE "user accounts" ("id" INTEGER PRIMARY KEY, "e-mail" TEXT, balance REAL);',
    });
    const sql = 'UPDATE "user accounts" SET balance = balance + 1 WHERE "e-mail" = :mail';
    const r = await verifyIndex(schema, sql, 'CREATE INDEX ix_mail ON "user accounts" ("e-mail")', {
      sizes: [1000, 3000, 9000],
      repeats: 6,
    });
    expect(r.planBefore.fullScans).toEqual(['user accounts']);
    expect(r.usesIndex).toBe(true);
    expect(r.sizes.at(-1)!.speedup.median).toBeGreaterThan(2);
    expect(r.verdict).toBe('faster');
  }, 90_000);

  it('stops when cancelled and refuses a hand-built schema with malformed tables', async () => {
    const schema = await scratchSchema(SCHEMA);
    const ac = new AbortController();
    ac.abort();
    await expect(
      verifyIndex(schema, LOOKUP, 'CREATE INDEX a ON users (email)', { sizes: [10, 20, 30], signal: ac.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    const broken = { ...schema, tables: [{ ...schema.tables[0]!, columns: [] }] };
    await expect(verifyIndex(broken, LOOKUP, 'CREATE INDEX a ON users (email)', { sizes: [10, 20, 30] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/malformed/) as unknown,
    });
  });
});
