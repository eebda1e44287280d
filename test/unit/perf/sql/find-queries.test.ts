// findQueries on small projects: SQL string literals in Python and TS (f-strings, templates, concatenations),
// SQLAlchemy chains and Prisma calls translated to SQL, and strings that only look like SQL ignored.
import { describe, expect, it } from 'vitest';
import { findQueries } from '../../../../main/services/perf/sql/find-queries';

const MODELS = `
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(120), unique=True)
    status = Column("state", String(20))
    age: Mapped[int] = mapped_column()
`;

const PRISMA = `
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  createdAt DateTime @default(now()) @map("created_at")
  posts     Post[]
  @@map("users")
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`;

describe('findQueries', () => {
  it('finds SQL string literals in Python with their lines, f-string fields and concatenations as placeholders', async () => {
    const py = [
      'import sqlite3',
      'def get(db, email):',
      '    return db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()',
      'def by_ids(db, table):',
      '    return db.execute(f"select * from {table} where id = 1")',
      'def both(db):',
      '    q = ("SELECT a, b "',
      '         "FROM t WHERE b > ?")',
      '    return db.execute(q)',
      "HELP = 'Select a file to open'",
      "LABEL = 'update your settings'",
      'RAW = b"SELECT x FROM y"',
    ].join('\n');
    const found = await findQueries({ 'app/db.py': py });
    expect(found).toEqual([
      { file: 'app/db.py', line: 3, sql: 'SELECT id FROM users WHERE email = ?', origin: 'string' },
      { file: 'app/db.py', line: 5, sql: 'select * from ? where id = 1', origin: 'string' },
      { file: 'app/db.py', line: 7, sql: 'SELECT a, b FROM t WHERE b > ?', origin: 'string' },
    ]);
  });

  it('finds SQL in TS strings and template literals (tagged or not) and ignores prose and half-quoted text', async () => {
    const ts = [
      "import { sql } from './db';",
      'export async function load(db: Db, id: number) {',
      "  await db.query('DELETE FROM sessions WHERE expires_at < $1', [Date.now()]);",
      '  return db.query(sql`SELECT *',
      '    FROM orders WHERE user_id = ${id}`);',
      '}',
      "const msg = 'Select the rows you want';",
      'const odd = "SELECT \'unterminated FROM t";',
      "const up = 'UPDATE accounts SET balance = balance - ? WHERE id = ?';",
      'const withq = `WITH recent AS (SELECT id FROM orders) SELECT count(*) FROM recent`;',
    ].join('\n');
    const found = await findQueries({ 'src/repo.ts': ts, 'README.md': 'SELECT * FROM nothing' });
    expect(found.map((q) => [q.line, q.sql])).toEqual([
      [3, 'DELETE FROM sessions WHERE expires_at < $1'],
      [4, 'SELECT * FROM orders WHERE user_id = ?'],
      [9, 'UPDATE accounts SET balance = balance - ? WHERE id = ?'],
      [10, 'WITH recent AS (SELECT id FROM orders) SELECT count(*) FROM recent'],
    ]);
  });

  it('translates SQLAlchemy query and select chains on known models, renamed columns included', async () => {
    const code = [
      'from models import User',
      'def a(session, e):',
      '    return session.query(User).filter_by(email=e).first()',
      'def b(session, n):',
      '    return session.execute(select(User).where(User.age >= n, User.status == "x").order_by(User.email.desc()).limit(10)).scalars().all()',
      'def c(session):',
      '    return session.query(User).filter(or_(User.email == None, User.age.in_([1, 2]))).count()',
      'def d(session, i):',
      '    return session.get(User, i)',
      'def e(session):',
      '    return session.query(User).join(Order).all()',
      'def f(session):',
      '    return session.query(Other).all()',
    ].join('\n');
    const found = await findQueries({ 'models.py': MODELS, 'service.py': code });
    const cols = '"id", "email", "state", "age"';
    expect(found.filter((q) => q.origin === 'sqlalchemy').map((q) => [q.file, q.line, q.sql])).toEqual([
      ['service.py', 3, `SELECT ${cols} FROM "users" WHERE "email" = ? LIMIT 1`],
      ['service.py', 5, `SELECT ${cols} FROM "users" WHERE "age" >= ? AND "state" = ? ORDER BY "email" DESC LIMIT ?`],
      ['service.py', 7, 'SELECT count(*) FROM "users" WHERE ("email" IS NULL OR "age" IN (?))'],
      ['service.py', 9, `SELECT ${cols} FROM "users" WHERE "id" = ?`],
    ]);
  });

  it('translates Prisma calls with where/orderBy/take on mapped models and skips relation filters', async () => {
    const ts = [
      'export async function f(prisma: PrismaClient, email: string) {',
      '  const a = await prisma.user.findUnique({ where: { email } });',
      "  const b = await prisma.user.findMany({ where: { name: { startsWith: 'A' }, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' }, take: 20 });",
      '  const c = await prisma.post.count({ where: { authorId: 3 } });',
      '  const d = await prisma.user.findMany({ where: { posts: { some: { id: 1 } } } });',
      '  const e = await prisma.user.findMany({ include: { posts: true } });',
      '  const g = await prisma.comment.findMany();',
      '}',
    ].join('\n');
    const found = await findQueries({ 'prisma/schema.prisma': PRISMA, 'src/users.ts': ts });
    const cols = '"id", "email", "name", "created_at"';
    expect(found.map((q) => [q.line, q.origin, q.sql])).toEqual([
      [2, 'prisma', `SELECT ${cols} FROM "users" WHERE "email" = ? LIMIT 1`],
      [3, 'prisma', `SELECT ${cols} FROM "users" WHERE "name" LIKE ? AND "created_at" >= ? ORDER BY "created_at" DESC LIMIT ?`],
      [4, 'prisma', 'SELECT count(*) FROM "Post" WHERE "authorId" = ?'],
    ]);
  });

  it('refuses something that is not a file map', async () => {
    await expect(findQueries(null as unknown as Record<string, string>)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(findQueries({})).resolves.toEqual([]);
  });
});
