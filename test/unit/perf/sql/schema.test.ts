// scratchSchema from its three sources — .sql migrations, SQLAlchemy models, schema.prisma — into SQLite DDL, with
// keys, unique columns, foreign keys and indexes kept, unknown constructs listed as skipped, and no schema refused.
import { describe, expect, it } from 'vitest';
import { scratchSchema } from '../../../../main/services/perf/sql/schema';

describe('scratchSchema', () => {
  it('reads CREATE TABLE / INDEX / ALTER TABLE ADD COLUMN from migrations in order, PostgreSQL types included', async () => {
    const s = await scratchSchema({
      'migrations/001_init.sql': `
        -- users and their orders
        CREATE TABLE IF NOT EXISTS public.users (
          id BIGSERIAL PRIMARY KEY,
          email VARCHAR(255) NOT NULL UNIQUE,
          "display name" TEXT,
          is_admin BOOLEAN DEFAULT false
        );
        CREATE TABLE orders (
          id SERIAL,
          user_id BIGINT NOT NULL,
          total NUMERIC(10, 2),
          placed_at TIMESTAMPTZ DEFAULT now(),
          PRIMARY KEY (id),
          CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id)
        );
        CREATE INDEX CONCURRENTLY orders_user_idx ON orders USING btree (user_id, placed_at DESC);
        CREATE TRIGGER audit AFTER INSERT ON orders BEGIN SELECT 1; END;
        CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
      `,
      'migrations/002_status.sql': 'ALTER TABLE orders ADD COLUMN status TEXT; CREATE INDEX lower_email ON users (lower(email));',
    });
    expect(s.dialect).toBe('postgresql');
    expect(s.tables.map((t) => t.name)).toEqual(['users', 'orders']);
    expect(s.ddl).toEqual([
      'CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "display name" TEXT, "is_admin" INTEGER)',
      'CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY, "user_id" INTEGER NOT NULL REFERENCES "users"("id"), "total" REAL, "placed_at" TEXT, "status" TEXT)',
      'CREATE INDEX "orders_user_idx" ON "orders" ("user_id", "placed_at")',
    ]);
    expect(s.tables[0]!.columns.map((c) => c.kind)).toEqual(['integer', 'text', 'text', 'boolean']);
    expect(s.skipped.map((k) => [k.file, k.what.split(' ').slice(0, 2).join(' ')])).toEqual([
      ['migrations/001_init.sql', 'CREATE TRIGGER'],
      ['migrations/001_init.sql', 'CREATE FUNCTION'],
      ['migrations/002_status.sql', 'CREATE INDEX'],
    ]);
  });

  it('reads SQLAlchemy models: Column and mapped_column, keys, ForeignKey, index=True, __table_args__', async () => {
    const s = await scratchSchema({
      'app/models.py': `
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(120), unique=True, nullable=False)
    active = Column(Boolean, index=True)

class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_user_created", "user_id", "created_at"), UniqueConstraint("user_id", "ref"), {"sqlite_autoincrement": True})
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ref: Mapped[Optional[str]] = mapped_column(String(20))
    created_at = Column(DateTime)

class Mixin:
    created = Column(DateTime)
`,
    });
    expect(s.ddl).toEqual([
      'CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "active" INTEGER)',
      'CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY, "user_id" INTEGER NOT NULL REFERENCES "users"("id"), "ref" TEXT, "created_at" TEXT)',
      'CREATE INDEX "ix_users_active" ON "users" ("active")',
      'CREATE INDEX "ix_orders_user_created" ON "orders" ("user_id", "created_at")',
      'CREATE UNIQUE INDEX "orders_user_id_ref_key" ON "orders" ("user_id", "ref")',
    ]);
    expect(s.sqlalchemy.map((m) => [m.className, m.table])).toEqual([
      ['User', 'users'],
      ['Order', 'orders'],
    ]);
    expect(s.skipped.map((k) => k.what)).toEqual(['class Mixin']);
  });

  it('reads schema.prisma: @id, @unique, @map, @@map, relations as foreign keys, @@index and @@id', async () => {
    const s = await scratchSchema({
      'prisma/schema.prisma': `
datasource db {
  provider = "sqlite"
  url      = "file:dev.db"
}
enum Role {
  USER
  ADMIN
}
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  role  Role   @default(USER)
  tags  String[]
  posts Post[]
  @@map("users")
}
model Post {
  id        Int      @id
  title     String
  authorId  Int      @map("author_id")
  author    User     @relation(fields: [authorId], references: [id])
  published Boolean? // drafts are null
  @@index([authorId, published])
}
model Like {
  postId Int
  userId Int
  @@id([postId, userId])
}
view Stats {
  n Int
}
`,
    });
    expect(s.dialect).toBe('unknown');
    expect(s.ddl).toEqual([
      'CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "role" TEXT NOT NULL)',
      'CREATE TABLE "Post" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL, "author_id" INTEGER NOT NULL REFERENCES "users"("id"), "published" INTEGER)',
      'CREATE TABLE "Like" ("postId" INTEGER NOT NULL, "userId" INTEGER NOT NULL, PRIMARY KEY ("postId", "userId"))',
      'CREATE INDEX "Post_author_id_published_idx" ON "Post" ("author_id", "published")',
    ]);
    expect(s.skipped.map((k) => k.what)).toEqual(['view Stats']);
  });

  it('refuses files with no schema in them, saying what it looked for', async () => {
    await expect(scratchSchema({ 'a.py': 'x = 1', 'b.sql': 'SELECT 1;' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/No schema found/) as unknown,
    });
  });
});
