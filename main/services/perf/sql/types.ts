// The scratch schema model (tables, columns, indexes) that every schema source is parsed into and the DDL is written
// from, plus what a source held that was not understood.
import { z } from 'zod';

/** How synthetic rows fill a column; chosen from its type, keys and name (see data.ts). */
export type ColumnKind = 'integer' | 'real' | 'text' | 'boolean' | 'datetime' | 'blob';

export interface SchemaColumn {
  name: string;
  kind: ColumnKind;
  primaryKey: boolean;
  unique: boolean;
  notNull: boolean;
  references?: { table: string; column: string };
}

export interface SchemaTable {
  name: string;
  columns: SchemaColumn[];
  /** Columns of a composite primary key (a single-column key is marked on its column). */
  compositeKey?: string[];
  source: { file: string; line: number };
}

export interface SchemaIndex {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
}

export interface SkippedConstruct {
  file: string;
  line: number;
  /** The start of the construct, e.g. `CREATE TRIGGER …` or `class Audit(Base)`. */
  what: string;
  reason: string;
}

export interface ScratchSchema {
  tables: SchemaTable[];
  indexes: SchemaIndex[];
  /** SQLite DDL, one statement per entry: the tables, then the indexes. */
  ddl: string[];
  /** 'postgresql' when a source says so (prisma provider, PostgreSQL-only types): plans then carry a note. */
  dialect: 'sqlite' | 'postgresql' | 'unknown';
  skipped: SkippedConstruct[];
}

// Any name SQLite accepts in double quotes (the scripts double embedded quotes); NUL never.
const Ident = z
  .string()
  .min(1)
  .max(128)
  .refine((n) => !n.includes('\0'), { message: 'a name without NUL' });

/** The model as it crosses into the sandboxed Python script: checked, since a caller may have built it by hand. */
export const SchemaTableSchema = z.object({
  name: Ident,
  columns: z
    .array(
      z.object({
        name: Ident,
        kind: z.enum(['integer', 'real', 'text', 'boolean', 'datetime', 'blob']),
        primaryKey: z.boolean(),
        unique: z.boolean(),
        notNull: z.boolean(),
        references: z.object({ table: Ident, column: Ident }).optional(),
      }),
    )
    .min(1),
  compositeKey: z.array(Ident).optional(),
  source: z.object({ file: z.string(), line: z.number().int() }),
});
