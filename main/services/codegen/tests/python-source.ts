// Line-level reading of Python source without a Python parser (this runs in the main process, before any sandbox):
// top-level statements, and whether a statement was cut off mid-way — a model answer that hit its token cap ends
// inside a call or a string, and one such line makes the whole test file a SyntaxError.

/** Bracket depth and open triple-quoted string carried from line to line; `broken` marks an unterminated string. */
interface ScanState {
  depth: number;
  triple: string | null;
  broken: boolean;
}

const TOKENS = /"""|'''|[()[\]{}]|#.*$|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|["']/g;

function scanLine(line: string, state: ScanState): void {
  for (const m of line.matchAll(TOKENS)) {
    const t = m[0];
    if (state.triple) {
      if (t === state.triple) state.triple = null;
    } else if (t === '"""' || t === "'''") state.triple = t;
    else if (t === '"' || t === "'") state.broken = true;
    else if (t.startsWith('#') || t.startsWith('"') || t.startsWith("'")) continue;
    else state.depth += '([{'.includes(t) ? 1 : -1;
  }
  if (state.depth < 0) state.depth = 0;
}

/** Top-level statements of Python source: a block is a column-0 line plus its indented/continued lines. */
export function pythonTopLevel(code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[][] = [];
  const state: ScanState = { depth: 0, triple: null, broken: false };
  let pendingDecorators: string[] = [];
  for (const line of lines) {
    const startsBlock =
      state.depth === 0 &&
      !state.triple &&
      /^\S/.test(line) &&
      !line.startsWith('#') &&
      !/^(?:else|elif|except|finally)\b/.test(line) &&
      !/^[)\]}]/.test(line);
    if (startsBlock) {
      if (line.startsWith('@')) pendingDecorators.push(line);
      else {
        blocks.push([...pendingDecorators, line]);
        pendingDecorators = [];
      }
    } else if (pendingDecorators.length > 0 && state.depth > 0) {
      pendingDecorators.push(line);
    } else if (blocks.length > 0) {
      blocks[blocks.length - 1]!.push(line);
    }
    // Track brackets and triple-quoted strings so their inner lines never start a block.
    scanLine(line, state);
  }
  return blocks.map((b) => b.join('\n').replace(/\s+$/, ''));
}

/**
 * The statement ends inside a bracket, a triple-quoted string or a one-line string: the answer was cut there (a
 * complete statement never does). A cut between tokens (`assert human`) parses and is not detected here.
 */
export function pythonIncomplete(statement: string): boolean {
  const state: ScanState = { depth: 0, triple: null, broken: false };
  for (const line of statement.split('\n')) {
    scanLine(line, state);
    if (state.broken) return true;
  }
  // A trailing `:` is a compound statement without its body; a trailing `,`, `\`, operator or `and`/`or`/`not`/`in`/
  // `is`/`if`/`else` a line that went on (`assert repo.list() ==`).
  if (state.depth > 0 || state.triple !== null) return true;
  return /(?:[:,\\+\-*/%&|^<>=~@]|\b(?:and|or|not|in|is|if|else|lambda))\s*$/.test(statement) && !/\bimport\s+\*\s*$/.test(statement);
}

/** Removes the first non-blank line's indentation from every line (lines inside a string may have less). */
export function dedent(code: string): string {
  const lines = code.split('\n');
  const width = /^[ \t]*/.exec(lines.find((l) => l.trim()) ?? '')![0].length;
  return lines.map((l) => l.slice(Math.min(width, /^[ \t]*/.exec(l)![0].length))).join('\n');
}
