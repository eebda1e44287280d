// Reads schema.prisma models (scalar fields, @id/@unique/@map, @relation foreign keys, @@id/@@unique/@@index/@@map)
// into the schema model; relation fields and unknown attributes are left out, unknown blocks listed as skipped.
import { kindOfType } from './column-kind';
import type { SchemaColumn, SchemaIndex, SchemaTable, SkippedConstruct } from './types';

export interface PrismaModel {
  model: string;
  table: string;
  /** Field name → column name (@map). */
  fields: Map<string, string>;
}

export interface PrismaPart {
  tables: SchemaTable[];
  indexes: SchemaIndex[];
  models: PrismaModel[];
  skipped: SkippedConstruct[];
  postgres: boolean;
}

const SCALARS = new Set(['Int', 'BigInt', 'String', 'Boolean', 'DateTime', 'Float', 'Decimal', 'Json', 'Bytes']);
const BLOCK = /^\s*(model|enum|datasource|generator|view|type)\s+(\w+)\s*\{/;

const listArg = (attr: string): string[] =>
  (/\[([^\]]*)\]/.exec(attr)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\(.*$/, ''))
    .filter(Boolean);
const quoted = (attr: string): string | undefined => /"([^"]+)"/.exec(attr)?.[1];

export function parsePrismaSchema(file: string, text: string, out: PrismaPart): void {
  const lines = text.split('\n');
  const enums = new Set([...text.matchAll(/^\s*enum\s+(\w+)/gm)].map((m) => m[1]!));
  for (let i = 0; i < lines.length; i++) {
    const head = BLOCK.exec(lines[i]!);
    if (!head) continue;
    const [, kind, name] = head as unknown as [string, string, string];
    const body: { text: string; line: number }[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*\}/.test(lines[j]!); j++) body.push({ text: lines[j]!.replace(/\/\/.*$/, '').trim(), line: j + 1 });
    if (kind === 'datasource' && body.some((b) => /provider\s*=\s*"(postgresql|postgres|cockroachdb)"/.test(b.text))) out.postgres = true;
    if (kind === 'view' || kind === 'type')
      out.skipped.push({ file, line: i + 1, what: `${kind} ${name}`, reason: `Prisma ${kind} blocks are not tables` });
    if (kind === 'model') readModel(file, name, i + 1, body, enums, out);
    i = j;
  }
}

function readModel(
  file: string,
  model: string,
  line: number,
  body: { text: string; line: number }[],
  enums: Set<string>,
  out: PrismaPart,
): void {
  let table = model;
  const columns: SchemaColumn[] = [];
  const fields = new Map<string, string>();
  const indexes: { columns: string[]; unique: boolean }[] = [];
  let compositeFields: string[] | undefined;
  const relations: { fields: string[]; target: string; references: string[] }[] = [];
  for (const { text } of body) {
    if (!text) continue;
    if (text.startsWith('@@')) {
      if (text.startsWith('@@map')) table = quoted(text) ?? table;
      else if (text.startsWith('@@index')) indexes.push({ columns: listArg(text), unique: false });
      else if (text.startsWith('@@unique')) indexes.push({ columns: listArg(text), unique: true });
      else if (text.startsWith('@@id')) compositeFields = listArg(text);
      continue;
    }
    const m = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(text);
    if (!m) continue;
    const [, field, type, list, optional, attrs] = m as unknown as [string, string, string, string | undefined, string | undefined, string];
    if (!SCALARS.has(type) && !enums.has(type)) {
      const rel = /@relation\(([^)]*)\)/.exec(attrs)?.[1];
      if (rel && /fields:/.test(rel)) {
        relations.push({
          fields: listArg(/fields:\s*(\[[^\]]*\])/.exec(rel)?.[1] ?? ''),
          target: type,
          references: listArg(/references:\s*(\[[^\]]*\])/.exec(rel)?.[1] ?? ''),
        });
      }
      continue; // a relation field has no column of its own
    }
    if (list) continue; // scalar lists (PostgreSQL arrays) have no SQLite equivalent
    const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? field;
    fields.set(field, column);
    const primaryKey = /@id\b/.test(attrs);
    columns.push({
      name: column,
      kind: enums.has(type) ? 'text' : kindOfType(type === 'DateTime' ? 'datetime' : type === 'Json' ? 'text' : type),
      primaryKey,
      unique: /@unique\b/.test(attrs),
      notNull: !optional,
    });
  }
  if (columns.length === 0) {
    out.skipped.push({ file, line, what: `model ${model}`, reason: 'no scalar fields' });
    return;
  }
  const col = (f: string) => fields.get(f) ?? f;
  const models = out.models;
  models.push({ model, table, fields });
  for (const r of relations) {
    r.fields.forEach((f, k) => {
      const c = columns.find((x) => x.name === col(f));
      // The target's table name is resolved after all models are read (it may be @@map-ped further down).
      if (c) c.references = { table: r.target, column: r.references[k] ?? 'id' };
    });
  }
  out.tables.push({ name: table, columns, ...(compositeFields ? { compositeKey: compositeFields.map(col) } : {}), source: { file, line } });
  for (const ix of indexes) {
    const cs = ix.columns.map(col);
    out.indexes.push({ name: `${table}_${cs.join('_')}_${ix.unique ? 'key' : 'idx'}`, table, columns: cs, unique: ix.unique });
  }
}

/** Relations name the target model; once every model is read they are pointed at its table and column names. */
export function resolvePrismaReferences(out: PrismaPart): void {
  const byModel = new Map(out.models.map((m) => [m.model, m]));
  for (const t of out.tables) {
    for (const c of t.columns) {
      const target = c.references && byModel.get(c.references.table);
      if (c.references && target)
        c.references = { table: target.table, column: target.fields.get(c.references.column) ?? c.references.column };
    }
  }
}
