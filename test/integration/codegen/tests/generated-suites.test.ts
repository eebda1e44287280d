// Suites from docstringTests / parseModelTests run for real (sandbox + pytest / node --test): a right candidate passes
// them, a wrong one fails with readable feedback, and the model's own copy of the function is never what gets tested.
import { describe, expect, it } from 'vitest';
import { docstringTests, parseModelTests, runTests } from '../../../../main/services/codegen/tests';

const PY_PROMPT = [
  'def chunk(items: list, size: int) -> list:',
  '    """Split items into chunks of size.',
  '',
  '    >>> chunk([1, 2, 3], 2)',
  '    [[1, 2], [3]]',
  '    >>> print(len(chunk([], 3)))',
  '    0',
  '    >>> chunk([1], 0)',
  '    Traceback (most recent call last):',
  '    ValueError: size must be >= 1',
  '    """',
  '',
  'assert chunk([1, 2], 1) == [[1], [2]]',
].join('\n');
const PY_RIGHT =
  'def chunk(items, size):\n    if size < 1:\n        raise ValueError("size must be >= 1")\n    return [items[i:i + size] for i in range(0, len(items), size)]\n';
const PY_WRONG = 'def chunk(items, size):\n    return [items]\n';
const PY_ENTRY = { file: 'solution.py', exports: ['chunk'] };

// A model answer whose tests are right, with a wrong implementation of its own that must be ignored.
const PY_MODEL_ANSWER =
  '```python\nfrom solution import chunk\n\ndef chunk(items, size):\n    return "the model\'s copy"\n\ndef test_even():\n    assert chunk([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]\n\ndef test_bad_size():\n    import pytest\n    with pytest.raises(ValueError):\n        chunk([1], 0)\n```';

const TS_PROMPT = [
  '/**',
  ' * Turns text into a URL slug.',
  ' * @example',
  " * slugify('Hello World') // => 'hello-world'",
  " * slugify('  a  b ') // => 'a-b'",
  ' */',
  'export function slugify(text: string): string;',
].join('\n');
const TS_RIGHT =
  "export function slugify(text: string): string {\n  return text.trim().toLowerCase().split(/\\s+/).filter(Boolean).join('-');\n}\n";
const TS_WRONG = "export function slugify(text: string): string {\n  return text.toLowerCase().replace(/ /g, '-');\n}\n";
const TS_ENTRY = { file: 'slug.ts', exports: ['slugify'] };
const TS_MODEL_ANSWER =
  "```ts\nimport { describe, it, expect } from 'vitest';\nimport { slugify } from './slugify';\n\nexport function slugify(t: string) { return 'copy'; }\n\ndescribe('slugify', () => {\n  it('joins words', () => {\n    expect(slugify('A B C')).toBe('a-b-c');\n    expect(slugify('x')).not.toBe('X');\n  });\n  it('throws nothing on empty', () => {\n    expect(() => slugify('')).not.toThrow();\n    expect(slugify('')).toEqual('');\n  });\n});\n```";

describe('generated suites, run for real', () => {
  it('Python docstring + model suites: the right candidate passes all, the wrong one fails with doctest-style feedback', async () => {
    const suites = [docstringTests('python', PY_PROMPT, PY_ENTRY)!, parseModelTests('python', PY_MODEL_ANSWER, PY_ENTRY)!];
    const right = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_RIGHT }], suites });
    expect(right.status).toBe('passed');
    expect(right.cases.filter((c) => c.origin === 'docstring')).toHaveLength(4);
    expect(right.cases.filter((c) => c.origin === 'model')).toHaveLength(2);

    const wrong = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_WRONG }], suites });
    expect(wrong.status).toBe('failed');
    const first = wrong.cases.find((c) => c.id === 'test_solution_docstring.py::test_docstring_example_1');
    expect(first?.passed).toBe(false);
    expect(first?.message).toContain('>>> chunk([1, 2, 3], 2)');
    expect(first?.message).toContain('expected: [[1, 2], [3]]');
    expect(first?.message).toContain('got:      [[1, 2, 3]]');
    // len(chunk([], 3)) is 1 for the wrong one ([[]]); the printed-output example catches it.
    expect(wrong.cases.find((c) => c.id.endsWith('test_docstring_example_2'))?.passed).toBe(false);
    expect(wrong.cases.filter((c) => c.origin === 'model').every((c) => !c.passed)).toBe(true);
  });

  it('a model test with many asserts runs as one case per assert (Python, TypeScript); a wrong assert and a cut-off tail fail nothing else', async () => {
    // As a small model writes them: one test, a wrong expectation (size 0 raises), cut by the token cap mid-call.
    const answer = [
      '```python',
      'def test_chunk():',
      '    data = [1, 2, 3]',
      '    assert chunk(data, 2) == [[1, 2], [3]]',
      '    assert chunk(data, 0) == []',
      '    assert chunk([], 3) == []',
      '    assert chunk(data, 1) == [[1], [2],',
    ].join('\n');
    const suite = parseModelTests('python', answer, PY_ENTRY)!;
    const run = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_RIGHT }], suites: [suite] });
    expect(run.invalidTests ?? []).toEqual([]);
    expect(run.cases.map((c) => [c.id, c.passed])).toEqual([
      ['test_solution_model.py::test_chunk__1', true],
      ['test_solution_model.py::test_chunk__2', false],
      ['test_solution_model.py::test_chunk__3', true],
    ]);

    const tsAnswer =
      "```ts\ntest('slug', () => {\n  expect(slugify('A B')).toBe('a-b');\n  expect(slugify(' a ')).toBe('-a-');\n  expect(slugify('x')).toBe('x";
    const tsRun = await runTests({
      language: 'typescript',
      files: [{ path: 'slug.ts', content: TS_RIGHT }],
      suites: [parseModelTests('typescript', tsAnswer, TS_ENTRY)!],
    });
    expect(tsRun.invalidTests ?? []).toEqual([]);
    expect(tsRun.cases.map((c) => [c.id, c.passed])).toEqual([
      ['slug.model.test.ts::slug #1', true],
      ['slug.model.test.ts::slug #2', false],
    ]);
  });

  it('`assert f(x) == pytest.raises(E)` checks that f(x) raises E: the right candidate passes it, the wrong one fails', async () => {
    const answer =
      '```python\ndef test_size():\n    assert chunk([1], 0) == pytest.raises(ValueError)\n    assert chunk([1], 1) == [[1]]\n```';
    const suites = [parseModelTests('python', answer, PY_ENTRY)!];
    const right = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_RIGHT }], suites });
    expect(right.cases.map((c) => [c.id, c.passed])).toEqual([
      ['test_solution_model.py::test_size__1', true],
      ['test_solution_model.py::test_size__2', true],
    ]);
    const wrong = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_WRONG }], suites });
    expect(wrong.cases.map((c) => c.passed)).toEqual([false, true]);
  });

  it('TypeScript JSDoc and model (vitest-style expect) suites: right passes, wrong fails on the spacing example', async () => {
    const suites = [docstringTests('typescript', TS_PROMPT, TS_ENTRY)!, parseModelTests('typescript', TS_MODEL_ANSWER, TS_ENTRY)!];
    const right = await runTests({ language: 'typescript', files: [{ path: 'slug.ts', content: TS_RIGHT }], suites });
    expect(right.status).toBe('passed');
    expect(right.cases.map((c) => c.id).sort()).toEqual([
      'slug.docstring.test.ts::docstring example 1',
      'slug.docstring.test.ts::docstring example 2',
      'slug.model.test.ts::slugify > joins words #1',
      'slug.model.test.ts::slugify > joins words #2',
      'slug.model.test.ts::slugify > throws nothing on empty #1',
      'slug.model.test.ts::slugify > throws nothing on empty #2',
    ]);

    const wrong = await runTests({ language: 'typescript', files: [{ path: 'slug.ts', content: TS_WRONG }], suites });
    expect(wrong.status).toBe('failed');
    expect(wrong.cases.find((c) => c.id === 'slug.docstring.test.ts::docstring example 1')?.passed).toBe(true);
    const spacing = wrong.cases.find((c) => c.id === 'slug.docstring.test.ts::docstring example 2');
    expect(spacing?.passed).toBe(false);
    expect(spacing?.message).toContain("'--a--b-'");
    const model = wrong.cases.filter((c) => c.origin === 'model');
    expect(model.map((c) => c.passed)).toEqual([true, true, true, true]);
  });

  it('sets aside a model test file that does not parse (its own fault) instead of failing the candidate', async () => {
    const good = docstringTests('python', PY_PROMPT, PY_ENTRY)!;
    const broken = {
      origin: 'model' as const,
      files: [{ path: 'test_solution_model.py', content: 'from solution import chunk\n\ndef test_x(:\n    pass\n' }],
    };
    const py = await runTests({ language: 'python', files: [{ path: 'solution.py', content: PY_RIGHT }], suites: [good, broken] });
    expect(py.status).toBe('passed');
    expect(py.cases.some((c) => c.origin === 'model')).toBe(false);
    expect(py.invalidTests).toEqual([{ file: 'test_solution_model.py', message: expect.stringContaining('SyntaxError') }]);

    const tsBroken = {
      origin: 'model' as const,
      files: [{ path: 'slug.model.test.ts', content: "import { slugify } from './slug.js';\ntest('x', () => {\n" }],
    };
    const ts = await runTests({ language: 'typescript', files: [{ path: 'slug.ts', content: TS_RIGHT }], suites: [tsBroken] });
    expect(ts).toMatchObject({
      status: 'no-tests',
      cases: [],
      invalidTests: [{ file: 'slug.model.test.ts', message: expect.stringMatching(/slug\.model\.test\.ts:\d+:\d+ - error TS/) }],
    });
  });
});
