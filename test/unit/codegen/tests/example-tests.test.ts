// docstringTests / parseModelTests: what they extract from requests and model answers (the generated suites are run
// for real in test/integration/codegen/tests/generated-suites.test.ts).
import { describe, expect, it } from 'vitest';
import { docstringTests, parseModelTests } from '../../../../main/services/codegen/tests';
import { MODEL_TEST_CASES } from '../../../../main/services/codegen/tests/model-tests';
import { parseDoctestExamples, parseAssertLines } from '../../../../main/services/codegen/tests/docstring-tests';
import { pythonTopLevel } from '../../../../main/services/codegen/tests/python-source';

const PY_ENTRY = { file: 'solution.py', exports: ['chunk'] };
const TS_ENTRY = { file: 'src/slug.ts', exports: ['slugify'] };
const only = (s: ReturnType<typeof docstringTests>) => {
  expect(s).not.toBeNull();
  expect(s!.files).toHaveLength(1);
  return s!.files[0]!;
};

describe('docstring examples', () => {
  it('parses >>> examples with continuation lines, multi-line output and tracebacks, grouped by docstring', () => {
    const ex = parseDoctestExamples(
      [
        'def f(x):',
        '    """Doc.',
        '',
        '    >>> xs = [1,',
        '    ...       2]',
        '    >>> f(xs)',
        '    [1,',
        '     2]',
        '    >>> f(None)',
        '    Traceback (most recent call last):',
        '    ValueError: no',
        '    """',
      ].join('\n'),
    );
    expect(ex).toEqual([
      { source: 'xs = [1,\n      2]', expected: '', group: 1 },
      { source: 'f(xs)', expected: '[1,\n 2]', group: 1 },
      { source: 'f(None)', expected: 'Traceback (most recent call last):\nValueError: no', group: 1 },
    ]);
  });

  it('parses bare assert statements across bracket continuation lines', () => {
    expect(parseAssertLines('assert f([1,\n   2]) == [\n  3]\nx = 1\n  assert g("(") == 1  # (')).toEqual([
      'assert f([1, 2]) == [ 3]',
      'assert g("(") == 1  # (',
    ]);
  });

  it('Python: one test per example with setup replayed, exceptions by name, and asserts that use an export', () => {
    const prompt = [
      'Write chunk(items, size).',
      '>>> chunk([1, 2, 3], 2)',
      '[[1, 2], [3]]',
      '>>> chunk([], 0)',
      'Traceback (most recent call last):',
      'ValueError: size must be >= 1',
      '',
      'assert chunk([1], 1) == [[1]]',
      'assert other(1) == 2',
    ].join('\n');
    const f = only(docstringTests('python', prompt, PY_ENTRY));
    expect(f.path).toBe('test_solution_docstring.py');
    expect(f.content).toContain('import solution as _candidate');
    expect(f.content).toContain('from solution import chunk');
    expect(f.content).toContain('_example("chunk([1, 2, 3], 2)", "[[1, 2], [3]]")');
    expect(f.content).toContain('_raises("chunk([], 0)", "ValueError", setup=["chunk([1, 2, 3], 2)"])');
    expect(f.content).toContain('    assert chunk([1], 1) == [[1]]');
    expect(f.content).not.toContain('other(1)');
    expect(f.content.match(/^def test_/gm)).toHaveLength(3);
  });

  it('Python: a fenced example block with setup lines becomes one test with the whole block; its asserts are not repeated', () => {
    const prompt = [
      'Write class Store with put/get.',
      '```python',
      'store = Store()',
      'store.put(1, "a")',
      'assert store.get(1) == "a"',
      '```',
    ].join('\n');
    const f = only(docstringTests('python', prompt, { file: 'store.py', exports: ['Store'] }));
    expect(f.content).toContain(
      'def test_docstring_example_1():\n    store = Store()\n    store.put(1, "a")\n    assert store.get(1) == "a"\n',
    );
    expect(f.content.match(/^def test_/gm)).toHaveLength(1);
    // A block that defines the export is not run whole (the candidate provides the definition); its asserts still count.
    const skeleton = only(
      docstringTests('python', '```python\nclass Store:\n    pass\nassert Store()\n```', { file: 'store.py', exports: ['Store'] }),
    );
    expect(skeleton.content).toContain('def test_docstring_assert_1():\n    assert Store()\n');
    expect(skeleton.content).not.toContain('class Store:');
  });

  it('TypeScript: JSDoc @example `// =>` lines and fenced assertion blocks; none → null', () => {
    const prompt = [
      '/**',
      ' * Makes a slug.',
      ' * @example',
      " * slugify('A b') // => 'a-b'",
      " * slugify('') // => ''",
      ' * @param s the text',
      ' */',
      'export function slugify(s: string): string;',
      '',
      'Examples:',
      '```ts',
      "const s = slugify('X  Y');",
      "assert.equal(s, 'x-y');",
      '```',
    ].join('\n');
    const f = only(docstringTests('typescript', prompt, TS_ENTRY));
    expect(f.path).toBe('slug.docstring.test.ts');
    expect(f.content).toContain("import { slugify } from './src/slug.js';");
    expect(f.content).toContain("assert.deepStrictEqual(slugify('A b'), 'a-b');");
    expect(f.content).toContain("assert.deepStrictEqual(slugify(''), '');");
    expect(f.content).toContain("  const s = slugify('X  Y');\n  assert.equal(s, 'x-y');");
    expect(f.content.match(/^test\(/gm)).toHaveLength(3);
    expect(docstringTests('typescript', 'Write a slugify function.', TS_ENTRY)).toBeNull();
    expect(docstringTests('python', 'Write chunk.', PY_ENTRY)).toBeNull();
  });

  it('rejects an entry that is not a relative file of the language or exports that are not identifiers', () => {
    expect(() => docstringTests('python', '>>> f()\n1', { file: '/etc/x.py', exports: [] })).toThrow(/relative path/);
    expect(() => docstringTests('python', '>>> f()\n1', { file: 'x.ts', exports: [] })).toThrow(/\.py/);
    expect(() => parseModelTests('typescript', 'test()', { file: 'a.ts', exports: ['x; process.exit()'] })).toThrow(/identifier/);
  });
});

describe('model-written tests', () => {
  it('splits Python into top-level blocks without breaking strings, brackets or decorators', () => {
    const blocks = pythonTopLevel(
      [
        'import pytest',
        '@pytest.mark.parametrize("a,b", [',
        '    (1, 2),',
        '])',
        'def test_a(a, b):',
        '    s = """',
        'def not_a_block():',
        '"""',
        '    assert a < b',
        'X = (1,',
        '2)',
      ].join('\n'),
    );
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toMatch(/^@pytest\.mark\.parametrize[\s\S]*def not_a_block[\s\S]*assert a < b$/);
  });

  it('Python: keeps tests, fixtures, helpers and constants; drops the model implementation, its import guess and calls', () => {
    const answer = [
      'Here are the tests:',
      '```python',
      'import pytest',
      'from chunker import chunk',
      '',
      'def chunk(items, size):',
      '    return [items]',
      '',
      'CASES = [([1, 2], 1, [[1], [2]])]',
      '',
      '@pytest.fixture',
      'def data():',
      '    return [1, 2, 3]',
      '',
      'def test_cases():',
      '    for items, size, want in CASES:',
      '        assert chunk(items, size) == want',
      '',
      'class TestChunk:',
      '    def test_data(self, data):',
      '        assert chunk(data, 3) == [data]',
      '',
      'assert chunk([], 1) == []',
      '',
      'test_cases()',
      'if __name__ == "__main__":',
      '    pytest.main()',
      '```',
    ].join('\n');
    const s = parseModelTests('python', answer, PY_ENTRY)!;
    expect(s.origin).toBe('model');
    const c = s.files[0]!.content;
    expect(s.files[0]!.path).toBe('test_solution_model.py');
    expect(c).toContain('from solution import chunk');
    expect(c).not.toContain('from chunker import');
    expect(c).not.toContain('return [items]');
    expect(c).toContain('CASES = [');
    expect(c).toContain('@pytest.fixture\ndef data():');
    expect(c).toContain('class TestChunk:');
    expect(c).toContain('def test_model_assert_1():\n    assert chunk([], 1) == []');
    expect(c).not.toMatch(/^test_cases\(\)/m);
    expect(c).not.toContain('__main__');
  });

  it('Python: one test per check when the setup comes first (CodeT granularity); interleaved state stays one test', () => {
    const answer = [
      '```python',
      'def test_chunk():',
      '    """Chunks."""',
      '    data = [1, 2, 3]',
      '    assert chunk(data, 2) == [[1, 2], [3]]',
      '    with pytest.raises(ValueError):',
      '        chunk(data, -1)',
      '    for n in (1, 3):',
      '        assert len(chunk(data, n)) == 3 // n',
      '',
      '@pytest.mark.slow',
      'def test_stateful():',
      '    out = chunk([1], 1)',
      '    assert out == [[1]]',
      '    out.append(2)',
      '    assert len(out) == 2',
      '```',
    ].join('\n');
    const c = parseModelTests('python', answer, PY_ENTRY)!.files[0]!.content;
    const setup = '    """Chunks."""\n    data = [1, 2, 3]\n';
    expect(c).toContain(`def test_chunk__1():\n${setup}    assert chunk(data, 2) == [[1, 2], [3]]\n\n`);
    expect(c).toContain(`def test_chunk__2():\n${setup}    with pytest.raises(ValueError):\n        chunk(data, -1)\n\n`);
    expect(c).toContain(`def test_chunk__3():\n${setup}    for n in (1, 3):\n        assert len(chunk(data, n)) == 3 // n\n`);
    expect(c).not.toMatch(/def test_chunk(?:__4)?\(/);
    expect(c).toContain('@pytest.mark.slow\ndef test_stateful():\n    out = chunk([1], 1)\n    assert out == [[1]]\n    out.append(2)\n');
    expect(c).not.toContain('test_stateful__');
    expect(c).toMatch(/^import pytest$/m);
  });

  it('Python: drops what the token cap cut off instead of making the file a SyntaxError', () => {
    const answer = [
      '```python',
      'def test_get():',
      '    store = {}',
      '    assert handle("GET", "/", store) == (200, [])',
      '    assert handle("GET", "/x", store) == (404, {"error": "not',
      '',
      'def test_patch():',
      '    store = {"1": {}}',
      '    assert handle("PATCH", "/todos/',
    ].join('\n');
    const c = parseModelTests('python', answer, PY_ENTRY)!.files[0]!.content;
    expect(c).toContain('def test_get():\n    store = {}\n    assert handle("GET", "/", store) == (200, [])\n');
    expect(c).not.toContain('"/x"');
    // Its only check was cut: a test of the setup alone would pass for any candidate.
    expect(c).not.toContain('test_patch');

    for (const cut of [
      'CASES = [(1, 2),\n  (3,',
      'def test_x():\n    with pytest.raises(ValueError):',
      'def test_y():\n    assert chunk([1], 1) ==',
      'x = """open',
    ]) {
      const s = parseModelTests('python', `from os.path import *\n\ndef test_ok():\n    assert chunk([], 1) == []\n\n${cut}`, PY_ENTRY)!;
      expect(s.files[0]!.content).toContain('def test_ok():');
      expect(s.files[0]!.content).toContain('from os.path import *');
      expect(s.files[0]!.content).not.toContain(cut.split('\n')[0]);
    }
  });

  it('a check repeated word for word is one case (Python, TypeScript); `assert f(x) == pytest.raises(E)` becomes the `with` it meant', () => {
    const answer = [
      '```python',
      'def test_bump():',
      '    assert chunk([1, 2], 1) == [[1], [2]]',
      '    assert chunk([1, 2],  1) == [[1], [2]]',
      '    assert chunk([1], 0) == pytest.raises(ValueError)',
      '    assert chunk([1], 2) == [[1]]',
      '    assert chunk([1], 0) == pytest.raises(ValueError)',
      '    assert chunk([], 1) == pytest.raises(ValueError, match="a == b")',
      '```',
    ].join('\n');
    const c = parseModelTests('python', answer, PY_ENTRY)!.files[0]!.content;
    expect(c.match(/^def test_/gm)).toHaveLength(4);
    expect(c).toContain('def test_bump__1():\n    assert chunk([1, 2], 1) == [[1], [2]]\n');
    expect(c).toContain('def test_bump__2():\n    with pytest.raises(ValueError):\n        chunk([1], 0)\n');
    expect(c).toContain('def test_bump__3():\n    assert chunk([1], 2) == [[1]]\n');
    expect(c).toContain('def test_bump__4():\n    with pytest.raises(ValueError, match="a == b"):\n        chunk([], 1)\n');
    expect(c).not.toContain('== pytest.raises');
    expect(c).toMatch(/^import pytest$/m);
    const tsCode = parseModelTests(
      'typescript',
      [
        '```ts',
        "test('slug', () => {",
        "  expect(slugify('A')).toBe('a');",
        "  expect(slugify('A')).toBe('a');",
        "  expect(slugify('B')).toBe('b');",
        '});',
      ].join('\n'),
      TS_ENTRY,
    )!.files[0]!.content;
    expect(tsCode.match(/^test\(/gm)).toHaveLength(2);
    expect(tsCode).toContain("test(\"slug #2\", () => {\n  expect(slugify('B')).toBe('b');");
  });

  it('keeps the first MODEL_TEST_CASES cases in the order written (later ones drift into made-up values)', () => {
    const asserts = Array.from({ length: 6 }, (_, i) => `    assert chunk([${i}], 1) == [[${i}]]`);
    const py = parseModelTests(
      'python',
      ['def test_many():', ...asserts, '', 'def test_later():', '    assert chunk([], 1) == []', '', 'assert chunk([9], 1) == [[9]]'].join(
        '\n',
      ),
      PY_ENTRY,
    )!.files[0]!.content;
    expect(MODEL_TEST_CASES).toBe(4);
    expect(py.match(/^def test_/gm)).toHaveLength(4);
    expect(py).toContain('def test_many__4():\n    assert chunk([3], 1) == [[3]]');
    expect(py).not.toMatch(/test_many__5|test_later|chunk\(\[9\]/);
    const expects = Array.from({ length: 6 }, (_, i) => `  expect(slugify('${i}')).toBe('${i}');`);
    const tsCode = parseModelTests(
      'typescript',
      ['```ts', "test('many', () => {", ...expects, '});', "assert.equal(slugify('z'), 'z');"].join('\n'),
      TS_ENTRY,
    )!.files[0]!.content;
    expect(tsCode.match(/^test\(/gm)).toHaveLength(4);
    expect(tsCode).toContain('test("many #4"');
    expect(tsCode).not.toMatch(/many #5|'z'/);
  });

  it('TypeScript: keeps test/describe calls and helpers, wraps top-level asserts, shims expect, drops the implementation', () => {
    const answer = [
      '```ts',
      "import { describe, it, expect } from 'vitest';",
      "import { slugify } from './slugify';",
      "import { strict as assert } from 'assert';",
      '',
      'export function slugify(s: string) { return s; }',
      'const lower = (s: string) => s.toLowerCase();',
      '',
      "describe('slugify', () => {",
      "  it('lowers', () => { expect(slugify('AB')).toBe(lower('ab')); });",
      '});',
      "assert.equal(slugify('a b'), 'a-b');",
      'console.log("done");',
      '```',
    ].join('\n');
    const s = parseModelTests('typescript', answer, TS_ENTRY)!;
    const c = s.files[0]!.content;
    expect(s.files[0]!.path).toBe('slug.model.test.ts');
    expect(c).toContain("import { slugify } from './src/slug.js';");
    expect(c).not.toMatch(/from '(?:vitest|\.\/slugify|assert)'/);
    expect(c).not.toContain('return s; }');
    expect(c).toContain('const lower = ');
    // A describe holding only tests is flattened: the runner reports top-level tests, one case each.
    expect(c).toContain("test(\"slugify > lowers\", () => {\n  expect(slugify('AB')).toBe(lower('ab'));\n});");
    expect(c).not.toContain('describe(');
    expect(c).toContain("test('model assertion 1', async () => {\n  assert.equal(slugify('a b'), 'a-b');");
    expect(c).toContain('const expect = (actual) =>');
    expect(c).not.toContain('console.log');
  });

  it('TypeScript: one test per expect after the setup; hooks, interleaved state and options stay whole; cut code is dropped', () => {
    const answer = [
      '```ts',
      "test('words', async () => {",
      "  const input = 'A B';",
      "  expect(slugify(input)).toBe('a-b');",
      '  for (const s of ["x", "y"]) expect(slugify(s)).toBe(s);',
      "  await expect(Promise.resolve(slugify(''))).resolves.toBe('');",
      '});',
      "describe('with hooks', () => {",
      '  let n = 0;',
      '  beforeEach(() => { n += 1; });',
      "  it('a', () => { expect(n).toBe(1); expect(slugify('a')).toBe('a'); });",
      '});',
      '```',
    ].join('\n');
    const rest = [
      '```ts',
      "it('state', () => {",
      "  const out = [slugify('a')];",
      "  expect(out).toEqual(['a']);",
      "  out.push('b');",
      '  expect(out).toHaveLength(2);',
      '});',
      "test('options', { timeout: 100 }, () => { expect(1).toBe(1); expect(2).toBe(2); });",
      "test('cut', () => {",
      "  expect(slugify('ok')).toBe('ok');",
      "  expect(slugify('x y')).toBe('x-",
    ].join('\n');
    // Two answers: one holds MODEL_TEST_CASES (4) cases at most.
    const c = parseModelTests('typescript', answer, TS_ENTRY)!.files[0]!.content;
    const c2 = parseModelTests('typescript', rest, TS_ENTRY)!.files[0]!.content;
    const setup = "  const input = 'A B';\n";
    expect(c).toContain(`test("words #1", async () => {\n${setup}  expect(slugify(input)).toBe('a-b');\n});`);
    expect(c).toContain(`test("words #2", async () => {\n${setup}  for (const s of ["x", "y"]) expect(slugify(s)).toBe(s);\n});`);
    expect(c).toContain(`test("words #3", async () => {\n${setup}  await expect(`);
    expect(c).toContain("describe('with hooks', () => {\n  let n = 0;");
    expect(c2).toContain("test(\"state\", () => {\n  const out = [slugify('a')];\n  expect(out).toEqual(['a']);\n  out.push('b');");
    expect(c2).toContain("test('options', { timeout: 100 }, () =>");
    expect(c2).toContain("test(\"cut\", () => {\n  expect(slugify('ok')).toBe('ok');\n});");
    expect(c2).not.toContain("'x-");
  });

  it('returns null for an answer without tests or without code', () => {
    expect(parseModelTests('python', '```python\ndef chunk(a, b):\n    return a\n```', PY_ENTRY)).toBeNull();
    expect(parseModelTests('python', 'I cannot write tests for this.', PY_ENTRY)).toBeNull();
    expect(parseModelTests('typescript', '```ts\nexport const x = 1;\n```', TS_ENTRY)).toBeNull();
  });
});
