// Reads CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD COLUMN from .sql files and migrations into the schema model;
// every other statement is listed as skipped.
import { kindOfType, isPostgresType } from './column-kind';
import { lineAt, splitStatements, tokenize, type Token } from './tokens';
import type { SchemaIndex, SchemaTable, SkippedConstruct } from './types';

export interface SqlSchemaPart {
  tables: SchemaTable[];
  indexes: SchemaIndex[];
  skipped: SkippedConstruct[];
  postgres: boolean;
}

const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'name');
const CONSTRAINT_STARTS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'EXCLUDE']);

/** Splits tokens between the outer parentheses at depth-0 commas. */
function items(tokens: Token[], open: number): { parts: Token[][]; close: number } {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') {
      if (depth === 0) return { parts, close: i };
      depth--;
    }
    if (depth === 0 && t.kind === 'punct' && t.text === ',') parts.push([]);
    else parts.at(-1)!.push(t);
  }
  return { parts, close: -1 };
}

/** Names inside the parentheses that start at `open` (`(a, b DESC)` → a, b). */
function nameList(tokens: Token[], open: number): string[] {
  if (tokens[open]?.text !== '(') return [];
  return items(tokens, open)
    .parts.map((p) => p[0])
    .filter(isName)
    .map((t) => t.text);
}

/** Skips `IF NOT EXISTS` and a `schema.` prefix; returns the index of the (last part of the) name. */
function nameAt(tokens: Token[], i: number): number {
  if (tokens[i]?.upper === 'IF') i += tokens[i + 1]?.upper === 'NOT' ? 3 : 2;
  if (tokens[i + 1]?.text === '.') i += 2;
  return i;
}

function parseColumn(part: Token[], table: SchemaTable, postgres: { seen: boolean }): void {
  const [name, ...rest] = part;
  if (!isName(name)) return;
  const typeWords: string[] = [];
  for (const t of rest) {
    if (
      t.kind !== 'word' ||
      ['PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'REFERENCES', 'DEFAULT', 'CHECK', 'CONSTRAINT', 'GENERATED', 'COLLATE'].includes(t.upper)
    )
      break;
    typeWords.push(t.text);
  }
  const type = typeWords.join(' ');
  if (isPostgresType(type)) postgres.seen = true;
  const uppers = rest.map((t) => t.upper);
  const ref = uppers.indexOf('REFERENCES');
  const refTable = ref >= 0 ? rest[nameAt(rest, ref + 1)] : undefined;
  const refCol = refTable ? nameList(rest, rest.indexOf(refTable) + 1)[0] : undefined;
  table.columns.push({
    name: name.text,
    kind: kindOfType(type),
    primaryKey: uppers.includes('PRIMARY'),
    unique: uppers.includes('UNIQUE'),
    notNull: uppers.join(' ').includes('NOT NULL'),
    ...(isName(refTable) ? { references: { table: refTable.text, column: refCol ?? 'id' } } : {}),
  });
}

function parseCreateTable(
  tokens: Token[],
  at: number,
  source: { file: string; line: number },
  out: SqlSchemaPart,
  pg: { seen: boolean },
): string | undefined {
  const ni = nameAt(tokens, at);
  const name = tokens[ni];
  if (!isName(name) || tokens[ni + 1]?.text !== '(') return 'not a CREATE TABLE name (…) statement (CREATE TABLE … AS SELECT is not read)';
  const table: SchemaTable = { name: name.text, columns: [], source };
  for (const part of items(tokens, ni + 1).parts) {
    const first = part[0];
    if (!first) continue;
    if (first.kind === 'word' && CONSTRAINT_STARTS.has(first.upper)) {
      const uppers = part.map((t) => t.upper);
      const open = part.findIndex((t) => t.text === '(');
      const cols = open >= 0 ? nameList(part, open) : [];
      if (uppers.includes('PRIMARY') && cols.length > 1) table.compositeKey = cols;
      else if (uppers.includes('PRIMARY') && cols.length === 1) {
        const c = table.columns.find((x) => x.name === cols[0]);
        if (c) c.primaryKey = true;
      } else if (uppers.includes('UNIQUE') && cols.length > 0) {
        out.indexes.push({ name: `${table.name}_${cols.join('_')}_key`, table: table.name, columns: cols, unique: true });
      } else if (uppers.includes('FOREIGN') && cols.length === 1) {
        const ref = uppers.indexOf('REFERENCES');
        const rt = part[nameAt(part, ref + 1)];
        const c = table.columns.find((x) => x.name === cols[0]);
        if (c && isName(rt)) c.references = { table: rt.text, column: nameList(part, part.indexOf(rt) + 1)[0] ?? 'id' };
      }
      continue;
    }
    parseColumn(part, table, pg);
  }
  if (table.columns.length === 0) return 'a table without columns';
  out.tables.push(table);
  return undefined;
}

function parseCreateIndex(tokens: Token[], at: number, unique: boolean, out: SqlSchemaPart): string | undefined {
  const ni = nameAt(tokens, at);
  const name = tokens[ni];
  const on = tokens.findIndex((t, i) => i > ni && t.upper === 'ON');
  if (!isName(name) || on < 0) return 'not a CREATE INDEX name ON table (…) statement';
  let ti = nameAt(tokens, on + 1);
  if (tokens[ti]?.upper === 'ONLY') ti++;
  const table = tokens[ti];
  let open = ti + 1;
  if (tokens[open]?.upper === 'USING') open += 2; // PostgreSQL's USING btree
  const parts = tokens[open]?.text === '(' ? items(tokens, open).parts : [];
  const plain = parts.every(
    (p) => isName(p[0]) && p.slice(1).every((t) => ['ASC', 'DESC', 'COLLATE', 'NOCASE'].includes(t.upper) || t.kind === 'name'),
  );
  const cols = nameList(tokens, open);
  if (!isName(table) || cols.length === 0 || !plain) return 'an index on expressions (only plain columns are read)';
  out.indexes.push({ name: name.text, table: table.text, columns: cols, unique });
  return undefined;
}

/** Reads one .sql file (a schema dump or a migration); statements are applied in file order. */
export function parseSqlFile(file: string, text: string, out: SqlSchemaPart): void {
  const pg = { seen: false };
  for (const stmt of splitStatements(text)) {
    const { tokens } = tokenize(stmt.sql);
    const line = lineAt(text, stmt.offset);
    const u = tokens.map((t) => t.upper);
    let reason: string | undefined = 'only CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD COLUMN are read';
    if (u[0] === 'CREATE') {
      let i = 1;
      while (['TEMP', 'TEMPORARY', 'UNLOGGED', 'OR', 'REPLACE'].includes(u[i] ?? '')) i++;
      if (u[i] === 'TABLE') reason = parseCreateTable(tokens, i + 1, { file, line }, out, pg);
      else if (u[i] === 'INDEX') reason = parseCreateIndex(tokens, u[i + 1] === 'CONCURRENTLY' ? i + 2 : i + 1, false, out);
      else if (u[i] === 'UNIQUE' && u[i + 1] === 'INDEX') reason = parseCreateIndex(tokens, i + 2, true, out);
    } else if (u[0] === 'ALTER' && u[1] === 'TABLE' && u.includes('ADD')) {
      const table = out.tables.find((t) => t.name === tokens[nameAt(tokens, 2)]?.text);
      const add = u.indexOf('ADD');
      const col = tokens.slice(add + (u[add + 1] === 'COLUMN' ? 2 : 1));
      if (table && col[0] && !CONSTRAINT_STARTS.has(col[0].upper)) {
        parseColumn(col, table, pg);
        reason = undefined;
      } else reason = table ? 'ALTER TABLE … ADD CONSTRAINT is not read' : 'ALTER TABLE of a table not created before it';
    } else if (['BEGIN', 'COMMIT', 'PRAGMA', 'SET'].includes(u[0] ?? '')) reason = undefined; // no schema in them
    if (reason) out.skipped.push({ file, line, what: stmt.sql.split('\n')[0]!.slice(0, 80), reason });
  }
  if (pg.seen) out.postgres = true;
}
