// The convention rules on accepted code and on the user's edits: each kind decides only on a clear signal, the
// user's own lines beat the kept code, and what the user took out is not learned.
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { diffSides, learnConventions } from '../../../../main/services/codegen/experience/learn-conventions';

const patch = (before: string, after: string) => createTwoFilesPatch('a/x', 'b/x', before, after, '', '', { context: 3 });
const byKind = (o: ReturnType<typeof learnConventions>) => Object.fromEntries(o.map((x) => [x.kind, [x.value, x.evidence]]));

describe('learnConventions', () => {
  it('reads test framework, naming, error style, quotes and indent from accepted Python code', () => {
    const code = [
      'import pytest',
      '',
      'def parse_order_id(text):',
      "    if not text.startswith('ORD-'):",
      "        raise ValueError('bad id')",
      '    return int(text[4:])',
      '',
      'def test_parse_order_id():',
      "    assert parse_order_id('ORD-7') == 7",
      '    with pytest.raises(ValueError):',
      "        parse_order_id('x')",
    ].join('\n');
    const o = learnConventions({ lang: 'python', code, diff: null, userEdits: null });
    expect(byKind(o)).toEqual({
      'test-framework': ['pytest', 'kept'],
      naming: ['snake_case', 'kept'],
      'error-style': ['raise', 'kept'],
      quotes: ['single', 'kept'],
      indent: ['4-spaces', 'kept'],
    });
    expect(o.find((x) => x.kind === 'naming')!.text).toBe('Name functions in snake_case (like parse_order_id).');
    expect(o.find((x) => x.kind === 'error-style')!.text).toMatch(/e\.g\. ValueError/);
  });

  it('decides nothing on mixed signals', () => {
    const code = [
      'import unittest',
      'import pytest',
      'def parseOrder(t):',
      '    return None',
      'def load_file(p):',
      '    raise IOError("x")',
      'def to_snake(x):',
      '    return \'a\' + "b"',
    ].join('\n');
    const kinds = learnConventions({ lang: 'python', code, diff: null, userEdits: null }).map((x) => x.kind);
    expect(kinds).not.toContain('test-framework');
    expect(kinds).not.toContain('error-style');
    expect(kinds).not.toContain('quotes');
    expect(kinds).not.toContain('naming'); // 2 snake of 3: below 80%
  });

  it("lets the user's edit decide, and never learns what the edit removed", () => {
    const kept = 'export function findUser(id: string): User | null {\n  if (!id) return null;\n  return users.get(id) ?? null;\n}\n';
    const edited =
      "export function findUser(id: string): User {\n  if (!id) throw new TypeError('id is required');\n  return users.get(id)!;\n}\n";
    const o = learnConventions({ lang: 'typescript', code: kept, diff: null, userEdits: patch(kept, edited) });
    const err = o.find((x) => x.kind === 'error-style')!;
    expect(err).toMatchObject({ value: 'throw', evidence: 'edited' });
    expect(err.text).toMatch(/new TypeError/);
    expect(o.some((x) => x.value === 'return-null')).toBe(false);
    expect(o.find((x) => x.kind === 'naming')).toMatchObject({ value: 'camelCase' });
  });

  it('names a JS/TS example from a function, not from a constant', () => {
    const code = 'const maxRetries = 3;\nexport const parsePrice = (t: string) => Number(t);\nfunction loadUser(id) {\n  return id;\n}\n';
    const naming = learnConventions({ lang: 'typescript', code, diff: null, userEdits: null }).find((x) => x.kind === 'naming');
    expect(naming?.text).toBe('Name functions in camelCase (like parsePrice).');
  });

  it('reads the kept lines of an edit diff, and JS test frameworks by their imports', () => {
    const diff = [
      {
        path: 'src/price.test.ts',
        hunks: [
          {
            id: 'h1',
            oldStart: 1,
            oldLines: 0,
            newStart: 1,
            newLines: 3,
            lines: ["+import { describe, it, expect } from 'vitest';", "+it('parses', () => {", "+  expect(parsePrice('1.50')).toBe(150);"],
          },
        ],
      },
    ];
    expect(byKind(learnConventions({ lang: 'javascript', code: null, diff, userEdits: null }))['test-framework']).toEqual([
      'vitest',
      'kept',
    ]);
  });

  it('learns nothing for languages the rules do not read, nor from empty code', () => {
    expect(
      learnConventions({ lang: 'go', code: 'func ParseID(s string) (int, error) {\n\treturn 0, nil\n}\n', diff: null, userEdits: null }),
    ).toEqual([]);
    expect(learnConventions({ lang: 'python', code: '', diff: null, userEdits: null })).toEqual([]);
  });

  it('splits a unified diff into the added and removed lines, without file headers', () => {
    expect(diffSides(patch('a\nb\n', 'a\nc\n'))).toEqual({ added: 'c', removed: 'b' });
  });
});
