// Keeps the exact signature of a "signature + docstring" prompt in the generated code (restores it if changed).
import type { Language } from '../../../../common/codegen/types';

export interface SignatureCheck {
  code: string;
  /**
   * kept: the code has the prompt's signature; restored: the code changed it and it was put back; completed: the code
   * was only the body and the prompt's signature was put in front; missing: the code does not define the function;
   * mismatch: the code renamed, added or dropped parameters, so putting the signature back would break its body —
   * the code is left as is and `expected` goes back to the model; none: the prompt has no signature (or the language
   * is not handled).
   */
  status: 'kept' | 'restored' | 'completed' | 'missing' | 'mismatch' | 'none';
  name?: string;
  /** The prompt's signature text, for a repair message when the status is missing or mismatch. */
  expected?: string;
}

interface Span {
  name: string;
  start: number;
  end: number;
  text: string;
}

/** Index just past the bracket that closes the one at `open`, skipping string literals; -1 when unbalanced. */
function closeOf(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      for (i++; i < src.length && src[i] !== q; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Python `def name(...) -> T:` spans (text from `def`/`async def` to the colon). */
function pythonDefs(src: string): Span[] {
  const out: Span[] = [];
  const re = /^[ \t]*((?:async[ \t]+)?def[ \t]+(\w+)[ \t]*)\(/gm;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const start = m.index + m[0].length - m[1]!.length - 1;
    const close = closeOf(src, m.index + m[0].length - 1);
    if (close < 0) continue;
    const colon = src.indexOf(':', close);
    const nl = src.indexOf('\n', close);
    if (colon < 0 || (nl >= 0 && nl < colon && !/^\s*->/.test(src.slice(close, colon)))) continue;
    out.push({ name: m[2]!, start, end: colon + 1, text: src.slice(start, colon + 1) });
  }
  return out;
}

/**
 * TS/JS `function name(...): T` spans (text from `function` up to the body's `{`, trailing space trimmed). Only a
 * declaration that starts its line (after indentation and `export`/`export default`) counts, as Python's `def` must:
 * a prose prompt that names the function inline ("Write `export function f(x: string): string` converting …") is not a
 * signature to restore — taken as one, its text ran on into the prose and the backtick that closed it, and restoring
 * that broke every candidate ("Unexpected end of input": the eval's ts-kebab-case never compiled).
 */
function scriptDefs(src: string): Span[] {
  const out: Span[] = [];
  const re = /^[ \t]*(?:export[ \t]+(?:default[ \t]+)?)?((?:async[ \t]+)?function\*?[ \t]+(\w+)[ \t]*(?:<[^>(]*>)?[ \t]*)\(/gm;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const start = m.index + m[0].length - m[1]!.length - 1;
    const close = closeOf(src, m.index + m[0].length - 1);
    if (close < 0) continue;
    const text = src.slice(start, returnTypeEnd(src, close) ?? lineBodyBrace(src, close)).trimEnd();
    out.push({ name: m[2]!, start, end: start + text.length, text });
  }
  return out;
}

/**
 * Where a TS/JS signature ends after its parameter list (`close`, just past the `)`): before the body's `{`, or at the
 * end of the line that completes the return type when no body follows (a prompt). The return type is read through
 * its brackets, so `Promise<{ status: number }>` and a type split over several lines are whole: a `{` is the body
 * only at depth 0 after a complete type, and one after `:`, `|`, `&`, `,` or `=>` opens an object type; undefined when
 * the brackets do not balance (then lineBodyBrace decides). The first version took the last `{` of the line as the
 * body, which cut `Promise<{ … }>` to `Promise<` — and that truncated text was what the prompt told the model to keep:
 * the eval's ts-api-signup answered `): Promise< {`.
 */
function returnTypeEnd(src: string, close: number): number | undefined {
  let i = close;
  while (src[i] === ' ' || src[i] === '\t') i++;
  if (src[i] !== ':') return close;
  let depth = 0;
  let complete = false;
  for (i++; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < src.length && src[i] !== c && src[i] !== '\n'; i++) if (src[i] === '\\') i++;
      complete = true;
    } else if (c === '=' && src[i + 1] === '>') {
      i++;
      complete = false;
    } else if (c === '{' && depth === 0 && complete) {
      return i;
    } else if ('(<[{'.includes(c)) {
      depth++;
      complete = false;
    } else if (')>]}'.includes(c)) {
      if (--depth < 0) return undefined;
      complete = true;
    } else if (depth === 0 && (c === ';' || (c === '\n' && complete))) {
      return i;
    } else if ('|&,:?'.includes(c)) {
      complete = false;
    } else if (!/\s/.test(c)) {
      complete = true;
    }
  }
  return depth === 0 ? src.length : undefined;
}

/**
 * A return type whose brackets never balance (an answer that wrote `): Promise< {` — the type dropped, the body
 * opened): the signature ends before the last `{` of its line, so restoring it puts the whole type back before the
 * body instead of swallowing the body.
 */
function lineBodyBrace(src: string, close: number): number {
  const lineEnd = src.indexOf('\n', close);
  const rest = src.slice(close, lineEnd < 0 ? src.length : lineEnd);
  const brace = rest.lastIndexOf('{');
  return close + (brace >= 0 ? brace : rest.length);
}

/** Parameter names in order (`*args` → args, `...rest` → rest); bare `*` and `/` markers are left out. */
export function parameterNames(signature: string): string[] {
  const open = signature.indexOf('(');
  const close = open < 0 ? -1 : closeOf(signature, open);
  if (close < 0) return [];
  const inner = signature.slice(open + 1, close - 1);
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of inner) {
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => /^\s*(?:\*{1,2}|\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p)?.[1] ?? '').filter((n) => n !== '');
}

const squash = (s: string): string =>
  s
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),:[\]=<>|])\s*/g, '$1')
    .trim();

/** Import lines of a Python prompt (before its def) that the code lacks, so restored type hints still resolve. */
function missingPythonImports(prompt: string, defStart: number, code: string): string[] {
  return prompt
    .slice(0, defStart)
    .split('\n')
    .filter((l) => /^(?:from\s+\S+\s+import\s|import\s)/.test(l) && !code.includes(l.trim()));
}

/**
 * Checks that `code` keeps the signature of the last function the prompt declares (Python and TS/JS). A changed
 * signature (renamed or re-typed parameters, another return type) is replaced by the prompt's exact text; a bare
 * body (the model continued after the docstring) gets the prompt in front of it.
 */
export function keepSignature(prompt: string, code: string, lang: Language): SignatureCheck {
  const defsOf = lang === 'python' ? pythonDefs : lang === 'typescript' || lang === 'javascript' ? scriptDefs : undefined;
  if (!defsOf) return { code, status: 'none' };
  const target = defsOf(prompt).at(-1);
  if (!target) return { code, status: 'none' };
  const name = target.name;
  const found = defsOf(code).filter((d) => d.name === name);
  if (found.length === 0) {
    const first = code.split('\n').find((l) => l.trim());
    const isBody = first !== undefined && /^\s/.test(first);
    if (!isBody) return { code, status: 'missing', name, expected: target.text };
    // The model wrote only the body: the prompt (signature and docstring) goes in front of it.
    const head = prompt.replace(/\s+$/, '');
    return { code: `${head}\n${code}`, status: 'completed', name };
  }
  const def = found[0]!;
  let out = code;
  let status: SignatureCheck['status'] = 'kept';
  if (parameterNames(def.text).join(',') !== parameterNames(target.text).join(',')) {
    return { code, status: 'mismatch', name, expected: target.text };
  }
  if (def.text !== target.text) {
    if (squash(def.text) !== squash(target.text)) status = 'restored';
    // Restore the prompt's exact text, re-indented to where the code has it (a method keeps its class indentation).
    // The line's own indentation: the blanks just before `at` would count the space after `export`.
    const indentOf = (src: string, at: number): string => /^[ \t]*/.exec(src.slice(src.lastIndexOf('\n', at - 1) + 1, at))![0];
    const fromIndent = indentOf(prompt, target.start);
    const toIndent = indentOf(code, def.start);
    const text = target.text
      .split('\n')
      .map((l, i) => (i === 0 ? l : toIndent + (l.startsWith(fromIndent) ? l.slice(fromIndent.length) : l)))
      .join('\n');
    out = code.slice(0, def.start) + text + code.slice(def.end);
  }
  if (lang === 'python') {
    const imports = missingPythonImports(prompt, target.start, out);
    if (imports.length) out = `${imports.join('\n')}\n${out}`;
  }
  return { code: out, status, name };
}
