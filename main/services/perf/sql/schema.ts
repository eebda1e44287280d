// scratchSchema: the project's schema as SQLite DDL, from .sql files and migrations, SQLAlchemy models and
// schema.prisma, with what could not be read listed (never fatal). Also the model's ORM name maps for findQueries.
import { EvolveError } from '../../../../common/errors';
import { sqliteType } from './column-kind';
import { parsePrismaSchema, resolvePrismaReferences, type PrismaModel, type PrismaPart } from './schema-prisma';
import { parseSqlAlchemyModels, type SqlAlchemyModel, type SqlAlchemyPart } from './schema-sqlalchemy';
import { parseSqlFile, type SqlSchemaPart } from './schema-sql';
import type { ScratchSchema, SchemaIndex, SchemaTable } from './types';

export interface SchemaWithModels extends ScratchSchema {
  sqlalchemy: SqlAlchemyModel[];
  prisma: PrismaModel[];
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** CREATE TABLE for one table of the model, in SQLite's dialect. */
export function createTableSql(t: SchemaTable): string {
  const defs = t.columns.map((c) => {
    const parts = [q(c.name), sqliteType(c.kind)];
    if (c.primaryKey && !t.compositeKey) parts.push('PRIMARY KEY');
    if (c.notNull && !c.primaryKey) parts.push('NOT NULL');
    if (c.unique && !c.primaryKey) parts.push('UNIQUE');
    if (c.references) parts.push(`REFERENCES ${q(c.references.table)}(${q(c.references.column)})`);
    return parts.join(' ');
  });
  if (t.compositeKey) defs.push(`PRIMARY KEY (${t.compositeKey.map(q).join(', ')})`);
  return `CREATE TABLE ${q(t.name)} (${defs.join(', ')})`;
}

export function createIndexSql(ix: SchemaIndex): string {
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${q(ix.name)} ON ${q(ix.table)} (${ix.columns.map(q).join(', ')})`;
}

/** Reads every schema source among `files` (relative path → text). Nothing found is INVALID_ARGUMENT with why. */
export async function scratchSchema(files: Record<string, string>): Promise<SchemaWithModels> {
  if (typeof files !== 'object' || files === null) throw new EvolveError('INVALID_ARGUMENT', 'files must map relative paths to text');
  const sql: SqlSchemaPart = { tables: [], indexes: [], skipped: [], postgres: false };
  const paths = Object.keys(files).sort();
  for (const p of paths) if (p.endsWith('.sql')) parseSqlFile(p, files[p]!, sql);
  const orm: SqlAlchemyPart = { tables: [], indexes: [], models: [], skipped: [] };
  await parseSqlAlchemyModels(Object.fromEntries(paths.filter((p) => p.endsWith('.py')).map((p) => [p, files[p]!])), orm);
  const prisma: PrismaPart = { tables: [], indexes: [], models: [], skipped: [], postgres: false };
  for (const p of paths) if (p.endsWith('.prisma')) parsePrismaSchema(p, files[p]!, prisma);
  resolvePrismaReferences(prisma);

  const skipped = [...sql.skipped, ...orm.skipped, ...prisma.skipped];
  const tables: SchemaTable[] = [];
  for (const t of [...sql.tables, ...orm.tables, ...prisma.tables]) {
    const first = tables.find((x) => x.name.toLowerCase() === t.name.toLowerCase());
    if (first)
      skipped.push({
        ...t.source,
        what: `table ${t.name}`,
        reason: `defined again (first in ${first.source.file}:${first.source.line}); the first is used`,
      });
    else tables.push(t);
  }
  if (tables.length === 0) {
    throw new EvolveError(
      'INVALID_ARGUMENT',
      'No schema found: no CREATE TABLE in .sql files, no SQLAlchemy model with __tablename__, no schema.prisma model',
      { skipped },
    );
  }
  const indexes: SchemaIndex[] = [];
  for (const ix of [...sql.indexes, ...orm.indexes, ...prisma.indexes]) {
    const table = tables.find((t) => t.name === ix.table);
    const missing = ix.columns.find((c) => !table?.columns.some((x) => x.name === c));
    if (!table || missing) {
      skipped.push({
        file: table?.source.file ?? '',
        line: table?.source.line ?? 1,
        what: `index ${ix.name}`,
        reason: table ? `no column ${missing} in ${ix.table}` : `no table ${ix.table}`,
      });
    } else if (!indexes.some((x) => x.name === ix.name)) indexes.push(ix);
  }
  return {
    tables,
    indexes,
    ddl: [...tables.map(createTableSql), ...indexes.map(createIndexSql)],
    dialect: sql.postgres || prisma.postgres ? 'postgresql' : 'unknown',
    skipped,
    sqlalchemy: orm.models,
    prisma: prisma.models,
  };
}
