// A small SQL tokenizer (strings, quoted names, comments, placeholders) shared by the schema parser, the query finder
// and the filter analysis, so none of them has to regex over raw SQL text.
export type TokenKind = 'word' | 'name' | 'string' | 'number' | 'param' | 'op' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Source text; for `name` (a quoted identifier) the identifier without its quotes. */
  text: string;
  /** Upper-cased text of a `word` (keywords compare on it). */
  upper: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
// ? ?1 :name @name $1 %s %(name)s — sqlite3/DB-API, node-postgres, psycopg placeholders.
const PARAM = /\?\d*|:[A-Za-z_]\w*|@[A-Za-z_]\w*|\$\d+|%s|%\([A-Za-z_]\w*\)s/y;
const OPS = ['<=', '>=', '<>', '!=', '==', '||', '::', '=', '<', '>', '+', '-', '*', '/', '%'];

function sticky(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** Tokens of `text`; `ok` is false when a string, quoted name or comment is not closed (not well-formed SQL). */
export function tokenize(text: string): { tokens: Token[]; ok: boolean } {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, src: string, start: number, end: number) =>
    tokens.push({ kind, text: src, upper: kind === 'word' ? src.toUpperCase() : src, start, end });
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return { tokens, ok: false };
      i = close + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const closeCh = c === '[' ? ']' : c;
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) return { tokens, ok: false };
        if (text[j] === closeCh) {
          if (closeCh !== ']' && text[j + 1] === closeCh) {
            value += closeCh; // doubled quote escapes itself
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      push(c === "'" ? 'string' : 'name', c === "'" ? text.slice(i, j + 1) : value, i, j + 1);
      i = j + 1;
      continue;
    }
    const dollar = c === '$' ? /^\$([A-Za-z_]\w*)?\$/.exec(text.slice(i, i + 64)) : null;
    if (dollar) {
      // PostgreSQL's dollar-quoted body ($$ … $$, $fn$ … $fn$): one string, its semicolons are not statement ends.
      const close = text.indexOf(dollar[0], i + dollar[0].length);
      if (close < 0) return { tokens, ok: false };
      push('string', text.slice(i, close + dollar[0].length), i, close + dollar[0].length);
      i = close + dollar[0].length;
      continue;
    }
    const param = sticky(PARAM, text, i);
    if (param && !(param.startsWith(':') && text[i + 1] === ':')) {
      push('param', param, i, i + param.length);
      i += param.length;
      continue;
    }
    const num = /\d|\./.test(c) ? sticky(NUMBER, text, i) : undefined;
    if (num) {
      push('number', num, i, i + num.length);
      i += num.length;
      continue;
    }
    const word = sticky(WORD, text, i);
    if (word) {
      push('word', word, i, i + word.length);
      i += word.length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      push('op', op, i, i + op.length);
      i += op.length;
      continue;
    }
    push('punct', c, i, i + 1);
    i++;
  }
  return { tokens, ok: true };
}

/** The SQL with every placeholder style rewritten to SQLite's `?`, and how many there are. */
export function normalizeParams(sql: string): { sql: string; params: number } {
  const { tokens } = tokenize(sql);
  let out = '';
  let last = 0;
  let params = 0;
  for (const t of tokens) {
    if (t.kind !== 'param') continue;
    out += `${sql.slice(last, t.start)}?`;
    last = t.end;
    params++;
  }
  return { sql: (out + sql.slice(last)).trim(), params };
}

const STARTS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH']);
const PROSE = new Set(['the', 'your', 'you', 'this', 'these', 'those', 'please', 'will', 'then', 'which', 'our', 'my']);

/**
 * Whether a string literal is a SQL statement: it tokenizes cleanly and starts like one — SELECT … FROM (or SELECT of
 * a value), INSERT INTO / OR, UPDATE name SET, DELETE FROM, WITH name AS, and no English glue word ("the", "your"…)
 * outside its strings. Prose such as "Select a file" or "Update the README and set the version" is not.
 */
export function looksLikeSql(text: string): boolean {
  const { tokens, ok } = tokenize(text);
  if (!ok || tokens.length < 2) return false;
  const [a, b, c] = tokens;
  if (a!.kind !== 'word' || !STARTS.has(a!.upper)) return false;
  // English glue words never name a column or table in practice; SQL keywords are not among them.
  if (tokens.some((t) => t.kind === 'word' && PROSE.has(t.text.toLowerCase()))) return false;
  const upper = tokens.map((t) => (t.kind === 'word' ? t.upper : ''));
  switch (a!.upper) {
    case 'SELECT':
      return upper.includes('FROM') || (tokens.length <= 4 && b!.kind !== 'word');
    case 'INSERT':
      return b!.upper === 'INTO' || b!.upper === 'OR';
    case 'UPDATE':
      return (b!.kind === 'word' || b!.kind === 'name') && upper.includes('SET');
    case 'DELETE':
      return b!.upper === 'FROM';
    default:
      return (c?.upper === 'AS' || c?.text === '(' || b!.upper === 'RECURSIVE') && upper.includes('SELECT');
  }
}

/** Splits a script into statements at top-level semicolons (not inside strings, names or comments). */
export function splitStatements(script: string): { sql: string; offset: number }[] {
  const { tokens } = tokenize(script);
  const out: { sql: string; offset: number }[] = [];
  let start: number | undefined;
  let depth = 0;
  let head: string[] = [];
  for (const t of tokens) {
    if (start === undefined) head = [];
    start ??= t.start;
    if (head.length < 4) head.push(t.upper);
    // A trigger's BEGIN … END body holds statements of its own.
    const trigger = head[0] === 'CREATE' && head.includes('TRIGGER');
    if ((t.text === '(' && t.kind === 'punct') || (trigger && t.upper === 'BEGIN')) depth++;
    if ((t.text === ')' && t.kind === 'punct') || (trigger && t.upper === 'END')) depth = Math.max(0, depth - 1);
    if (t.kind === 'punct' && t.text === ';' && depth === 0) {
      out.push({ sql: script.slice(start, t.start).trim(), offset: start });
      start = undefined;
    }
  }
  const lastTok = tokens.at(-1);
  if (start !== undefined && lastTok) out.push({ sql: script.slice(start, lastTok.end).trim(), offset: start });
  return out.filter((s) => s.sql.length > 0);
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
