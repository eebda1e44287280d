// Tests from the examples in a request: Python doctest `>>>` examples and bare `assert` lines; TypeScript/JavaScript JSDoc
// `@example` lines (`expr // => value`, assert calls) and fenced example blocks with assertions. Origin 'docstring'.
import type { Language } from '../../../../common/codegen/types';
import { dedent } from '../edits/extract-code';
import { findFencedBlocks } from '../edits/fences';
import { languageOfTag } from '../edits/languages';
import { checkEntry, nodeTestHeader, pythonModule, testFileName } from './entry';
import type { TestEntry, TestSuite } from './types';

/** At most this many example tests from one request (a long pasted doctest file stays a bounded run). */
export const MAX_EXAMPLES = 40;

const py = (s: string): string => JSON.stringify(s); // a JSON string is a valid Python str literal

interface PyExample {
  source: string;
  /** Expected output; empty for a statement (setup). */
  expected: string;
  group: number;
}

/** `>>>` examples with their expected output, grouped by docstring (examples of one docstring share state). */
export function parseDoctestExamples(text: string): PyExample[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: PyExample[] = [];
  let group = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^(\s*)>>>(?: (.*))?$/.exec(line);
    if (!m) {
      if (/"""|'''|^\s*```/.test(line)) group += 1;
      continue;
    }
    const indent = m[1]!.length;
    const src = [m[2] ?? ''];
    while (i + 1 < lines.length && /^\s*\.\.\.(?: |$)/.test(lines[i + 1]!)) src.push(lines[++i]!.replace(/^\s*\.\.\.(?: )?/, ''));
    const expected: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (!next.trim() || /^\s*>>>/.test(next) || /^\s*(?:"""|'''|```)/.test(next)) break;
      expected.push(next.slice(Math.min(indent, next.length - next.trimStart().length)));
      i += 1;
    }
    out.push({ source: src.join('\n'), expected: expected.join('\n').replace(/\s*("""|''')\s*$/, ''), group });
  }
  return out;
}

/** Bare `assert ...` statements (with bracket continuation lines), not inside `>>>` examples. */
export function parseAssertLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*assert[\s(]/.test(lines[i]!)) continue;
    const stmt = [lines[i]!.trim()];
    let depth = bracketDepth(stmt[0]!);
    while (depth > 0 && i + 1 < lines.length) {
      const next = lines[++i]!.trim();
      stmt.push(next);
      depth += bracketDepth(next);
    }
    out.push(stmt.join(' ').replace(/;\s*$/, ''));
  }
  return out;
}

function bracketDepth(s: string): number {
  let d = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '#') break;
    else if ('([{'.includes(c)) d++;
    else if (')]}'.includes(c)) d--;
  }
  return d;
}

const PY_HELPERS = String.raw`import contextlib
import io

_MISSING = object()


def _ns():
    return dict(vars(_candidate))


def _run(src, ns):
    # One example as doctest runs it: what it prints, and the value of an expression.
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            code = compile(src, "<example>", "eval")
        except SyntaxError:
            exec(compile(src, "<example>", "exec"), ns)
            value = None
        else:
            value = eval(code, ns)
    return buf.getvalue(), value


def _setup(ns, setup):
    for src in setup:
        try:
            _run(src, ns)
        except Exception:
            pass


def _example(src, expected, setup=()):
    __tracebackhide__ = True
    ns = _ns()
    _setup(ns, setup)
    printed, value = _run(src, ns)
    got = printed + ("" if value is None else repr(value) + "\n")
    if got.strip() == expected.strip():
        return
    if value is not None and not printed:
        try:
            want = eval(expected, ns)
        except Exception:
            want = _MISSING
        if want is not _MISSING and value == want:
            return
    raise AssertionError(">>> %s\nexpected: %s\ngot:      %s" % (src, expected.strip(), got.strip() or "(nothing)"))


def _raises(src, name, setup=()):
    __tracebackhide__ = True
    ns = _ns()
    _setup(ns, setup)
    try:
        _run(src, ns)
    except Exception as e:
        if type(e).__name__ == name:
            return
        raise AssertionError(">>> %s\nexpected %s, got %s: %s" % (src, name, type(e).__name__, e))
    raise AssertionError(">>> %s\nexpected %s to be raised; nothing was raised" % (src, name))
`;

function pythonSuite(prompt: string, entry: TestEntry): TestSuite | null {
  const mod = pythonModule(entry.file);
  const examples = parseDoctestExamples(prompt);
  const mentions = (s: string): boolean => entry.exports.length === 0 || entry.exports.some((n) => new RegExp(`\\b${n}\\b`).test(s));
  const tests: string[] = [];
  for (const [i, ex] of examples.entries()) {
    if (!ex.expected.trim()) continue; // a statement: replayed as setup of the examples after it
    const setup = examples
      .slice(0, i)
      .filter((e) => e.group === ex.group)
      .map((e) => e.source);
    if (!mentions([...setup, ex.source].join('\n'))) continue;
    const tb = /^Traceback \(most recent call last\):/.exec(ex.expected.trim());
    const exc = tb
      ? /^([A-Za-z_][\w.]*)(?::|$)/m.exec(
          ex.expected
            .split('\n')
            .filter((l) => !/^\s/.test(l))
            .slice(-1)[0] ?? '',
        )
      : null;
    const setupArg = setup.length > 0 ? `, setup=[${setup.map(py).join(', ')}]` : '';
    const call =
      tb && exc
        ? `_raises(${py(ex.source)}, ${py(exc[1]!.split('.').pop()!)}${setupArg})`
        : `_example(${py(ex.source)}, ${py(ex.expected)}${setupArg})`;
    tests.push(`def test_docstring_example_${tests.length + 1}():\n    ${call}\n`);
  }
  // A fenced example block with asserts and no definition of an export: one test with the whole block, since its
  // asserts need the lines before them (`store = Store()` then `assert store.get(1) == ...`).
  const defines = new RegExp(`^\\s*(?:async\\s+)?(?:def|class)\\s+(?:${entry.exports.join('|') || '$^'})\\b`, 'm');
  let rest = prompt;
  for (const b of findFencedBlocks(prompt)) {
    const tag = b.tag ? languageOfTag(b.tag) : undefined;
    if ((b.tag && tag !== 'python') || !/^\s*assert[\s(]/m.test(b.code) || /^\s*>>>/m.test(b.code) || defines.test(b.code)) continue;
    rest = rest.replace(b.code, '');
    if (!mentions(b.code)) continue;
    const body = dedent(b.code)
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
    tests.push(`def test_docstring_example_${tests.length + 1}():\n${body}\n`);
  }
  for (const a of parseAssertLines(
    rest
      .split('\n')
      .filter((l) => !/^\s*(?:>>>|\.\.\.)/.test(l))
      .join('\n'),
  )) {
    if (mentions(a)) tests.push(`def test_docstring_assert_${tests.length + 1}():\n    ${a}\n`);
  }
  if (tests.length === 0) return null;
  const imports = [`import ${mod} as _candidate`, `from ${mod} import *  # noqa: F401,F403`];
  if (entry.exports.length > 0) imports.push(`from ${mod} import ${entry.exports.join(', ')}  # noqa: F401`);
  const content = `# Examples from the request, run as tests (generated by Evolve Studio).\n${PY_HELPERS}\n${imports.join('\n')}\n\n\n${tests.slice(0, MAX_EXAMPLES).join('\n\n')}`;
  return { origin: 'docstring', files: [{ path: testFileName('python', entry.file, 'docstring'), content }] };
}

/** `expr // => value` (also `//=>`, `// ->`, `// →`, `// returns`) → an assertion; assert calls and setup stay. */
function jsExampleLine(line: string): string {
  const m = /^(.*?);?\s*\/\/\s*(?:=>|->|→|returns?:?)\s*(.+?)\s*$/.exec(line);
  if (m && m[1]!.trim()) return `assert.deepStrictEqual(${m[1]!.trim()}, ${m[2]!.replace(/;$/, '')});`;
  return line;
}

const JS_ASSERTION = /\bassert(?:\.\w+)?\s*\(|\/\/\s*(?:=>|->|→|returns?\b)/;

function jsdocExamples(prompt: string): string[][] {
  const blocks: string[][] = [];
  for (const c of prompt.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = c[1]!.split('\n').map((l) => l.replace(/^\s*\*\s?/, ''));
    let current: string[] | null = null;
    for (const line of lines) {
      const tag = /^\s*@(\w+)\s*(.*)$/.exec(line);
      if (tag) {
        if (current) blocks.push(current);
        current = tag[1] === 'example' ? (tag[2] ? [tag[2]] : []) : null;
        continue;
      }
      if (current && !/^\s*```/.test(line)) current.push(line);
    }
    if (current) blocks.push(current);
  }
  return blocks.map((b) => b.filter((l) => l.trim())).filter((b) => b.some((l) => JS_ASSERTION.test(l)));
}

function nodeSuite(language: Language, prompt: string, entry: TestEntry): TestSuite | null {
  const bodies: string[][] = [];
  for (const block of jsdocExamples(prompt)) {
    const lines = block.map(jsExampleLine);
    // Only assertions: one test each (finer results for selection); with setup lines, one test for the block.
    if (block.every((l) => JS_ASSERTION.test(l))) lines.forEach((l) => bodies.push([l]));
    else bodies.push(lines);
  }
  // Example blocks in fences (```ts / ```js / untagged) with assertions and no definition of the entry's exports.
  const defines = new RegExp(`\\b(?:function|class|const|let|var)\\s+(?:${entry.exports.join('|') || '$^'})\\b`);
  for (const b of findFencedBlocks(prompt)) {
    const tag = b.tag ? languageOfTag(b.tag) : undefined;
    if (b.tag && tag !== 'typescript' && tag !== 'javascript') continue;
    if (!/\bassert(?:\.\w+)?\s*\(/.test(b.code) || defines.test(b.code) || /\bimport\s/.test(b.code)) continue;
    bodies.push(b.code.trim().split('\n'));
  }
  if (bodies.length === 0) return null;
  const tests = bodies
    .slice(0, MAX_EXAMPLES)
    .map((body, i) => `test('docstring example ${i + 1}', async () => {\n${body.map((l) => `  ${l}`).join('\n')}\n});\n`);
  const content = `// Examples from the request, run as tests (generated by Evolve Studio).\n${nodeTestHeader(entry)}\n\n${tests.join('\n')}`;
  return { origin: 'docstring', files: [{ path: testFileName(language, entry.file, 'docstring'), content }] };
}

/**
 * The request's own examples as a test suite (origin 'docstring'), or null when it has none. Python: `>>>` examples
 * (doctest semantics: printed output + repr, compared as text, then as values) and bare `assert` lines that use an
 * export; TypeScript/JavaScript: JSDoc `@example` lines and fenced example blocks with assertions.
 */
export function docstringTests(language: Language, prompt: string, entry: TestEntry): TestSuite | null {
  checkEntry(language, entry);
  if (language === 'python') return pythonSuite(prompt, entry);
  if (language === 'typescript' || language === 'javascript') return nodeSuite(language, prompt, entry);
  return null;
}
