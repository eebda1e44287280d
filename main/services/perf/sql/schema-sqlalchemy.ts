// Reads SQLAlchemy declarative models (Column / mapped_column, keys, ForeignKey, index=True, __table_args__ Index and
// UniqueConstraint) from Python files with tree-sitter into the schema model; the project's code is never run.
import type { Node } from 'web-tree-sitter';
import { parserFor } from '../../../../native/index/grammars';
import { kindOfType } from './column-kind';
import type { SchemaColumn, SchemaIndex, SchemaTable, SkippedConstruct } from './types';

export interface SqlAlchemyModel {
  className: string;
  table: string;
  /** Python attribute → column name (they differ when Column('name', …) renames it). */
  attributes: Map<string, string>;
}

export interface SqlAlchemyPart {
  tables: SchemaTable[];
  indexes: SchemaIndex[];
  models: SqlAlchemyModel[];
  skipped: SkippedConstruct[];
}

/** The text of a plain Python string literal, or undefined (f-strings and concatenations are not static). */
export function pyString(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string' || node.children.some((c) => c?.type === 'interpolation')) return undefined;
  return node.children
    .filter((c): c is Node => c?.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

const calleeName = (call: Node): string => call.childForFieldName('function')?.text.split('.').at(-1) ?? '';
const args = (call: Node): Node[] => call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];

function keyword(call: Node, name: string): string | undefined {
  const kw = args(call).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  return kw?.childForFieldName('value')?.text;
}

/** A Column(...) / mapped_column(...) call into a column; `annotation` is the `Mapped[...]` type when there is one. */
function columnOf(attr: string, call: Node, annotation: string | undefined): { column: SchemaColumn; index: boolean } {
  const positional = args(call).filter((a) => a.type !== 'keyword_argument');
  let name = attr;
  let type = annotation ?? '';
  let references: SchemaColumn['references'];
  for (const a of positional) {
    const s = pyString(a);
    if (s !== undefined && a === positional[0]) name = s;
    else if (a.type === 'call' && calleeName(a) === 'ForeignKey') {
      const target = pyString(args(a)[0]) ?? args(a)[0]?.text ?? '';
      const [t, c] = target.split('.').slice(-2);
      if (t && c) references = { table: t, column: c };
    } else if (a.type === 'identifier' || a.type === 'attribute' || a.type === 'call') {
      type = (a.type === 'call' ? a.childForFieldName('function')?.text : a.text)?.split('.').at(-1) ?? type;
    }
  }
  const optional = annotation !== undefined && /Optional\[|None/.test(annotation);
  const primaryKey = keyword(call, 'primary_key') === 'True';
  return {
    column: {
      name,
      kind: kindOfType(references ? 'integer' : type),
      primaryKey,
      unique: keyword(call, 'unique') === 'True',
      notNull:
        primaryKey ||
        keyword(call, 'nullable') === 'False' ||
        (annotation !== undefined && !optional && keyword(call, 'nullable') !== 'True'),
      ...(references ? { references } : {}),
    },
    index: keyword(call, 'index') === 'True',
  };
}

function readModel(file: string, cls: Node, out: SqlAlchemyPart): void {
  const className = cls.childForFieldName('name')?.text ?? '';
  const body = cls.childForFieldName('body');
  let tableName: string | undefined;
  const columns: SchemaColumn[] = [];
  const indexes: SchemaIndex[] = [];
  const attributes = new Map<string, string>();
  const tableArgs: Node[] = [];
  for (const stmt of body?.namedChildren ?? []) {
    const assign = stmt?.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (assign?.type !== 'assignment') continue;
    const left = assign.childForFieldName('left')?.text ?? '';
    const right = assign.childForFieldName('right');
    if (left === '__tablename__') tableName = pyString(right);
    else if (left === '__table_args__' && right) tableArgs.push(right);
    else if (right?.type === 'call' && ['Column', 'mapped_column'].includes(calleeName(right))) {
      const annotation = assign.childForFieldName('type')?.text.replace(/^Mapped\[(.*)\]$/, '$1');
      const { column, index } = columnOf(left, right, annotation);
      columns.push(column);
      attributes.set(left, column.name);
      if (index) indexes.push({ name: `ix_${tableName ?? className}_${column.name}`, table: '', columns: [column.name], unique: false });
    }
  }
  if (!tableName) {
    if (columns.length > 0) {
      out.skipped.push({
        file,
        line: cls.startPosition.row + 1,
        what: `class ${className}`,
        reason: 'a model without __tablename__ (abstract or inherited) is not read',
      });
    }
    return;
  }
  for (const call of tableArgs.flatMap((n) => n.descendantsOfType('call')).filter((c): c is Node => c !== null)) {
    const kind = calleeName(call);
    const names = args(call)
      .map(pyString)
      .filter((s): s is string => s !== undefined);
    if (kind === 'Index' && names.length >= 2)
      indexes.push({ name: names[0]!, table: tableName, columns: names.slice(1), unique: keyword(call, 'unique') === 'True' });
    else if (kind === 'UniqueConstraint' && names.length >= 1)
      indexes.push({ name: `${tableName}_${names.join('_')}_key`, table: tableName, columns: names, unique: true });
    else if (kind !== 'Index' && kind !== 'UniqueConstraint')
      out.skipped.push({
        file,
        line: call.startPosition.row + 1,
        what: call.text.slice(0, 80),
        reason: 'only Index and UniqueConstraint in __table_args__ are read',
      });
  }
  if (columns.length === 0) {
    out.skipped.push({ file, line: cls.startPosition.row + 1, what: `class ${className}`, reason: 'no Column / mapped_column found' });
    return;
  }
  const keys = columns.filter((c) => c.primaryKey);
  const compositeKey = keys.length > 1 ? keys.map((c) => c.name) : undefined;
  if (compositeKey) for (const c of keys) c.primaryKey = false;
  out.tables.push({
    name: tableName,
    columns,
    ...(compositeKey ? { compositeKey } : {}),
    source: { file, line: cls.startPosition.row + 1 },
  });
  out.indexes.push(...indexes.map((i) => ({ ...i, table: tableName })));
  out.models.push({ className, table: tableName, attributes });
}

/** Reads every class with a `__tablename__` in the Python files. */
export async function parseSqlAlchemyModels(files: Record<string, string>, out: SqlAlchemyPart): Promise<void> {
  const parser = await parserFor('python');
  for (const [file, text] of Object.entries(files)) {
    if (!file.endsWith('.py') || !/__tablename__/.test(text)) continue;
    const tree = parser.parse(text);
    for (const cls of tree?.rootNode.descendantsOfType('class_definition') ?? []) if (cls) readModel(file, cls, out);
    tree?.delete();
  }
}
