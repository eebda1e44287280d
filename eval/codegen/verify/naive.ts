// Deliberately wrong answers for a problem: the hidden tests must fail against them, or they could not fail at all.
import { type CodegenProblem } from '../schema';

export interface NaiveVariant {
  name: string;
  solution: string;
}

/** Stubs that return nothing / throw for every export; for `edit` the unchanged original; for `test` no / empty tests. */
export function naiveVariants(p: CodegenProblem): NaiveVariant[] {
  const py = p.lang === 'python';
  if (p.type === 'test') {
    return [
      { name: 'no-tests', solution: py ? '# no tests\n' : '// no tests\nexport {};\n' },
      {
        name: 'trivial-test',
        solution: py ? 'def test_nothing():\n    assert True\n' : "import { test } from 'node:test';\n\ntest('nothing', () => {});\n",
      },
    ];
  }
  const stub = (body: 'none' | 'throw'): string =>
    p.exports
      .map((name) =>
        py
          ? `def ${name}(*args, **kwargs):\n    ${body === 'none' ? 'return None' : "raise NotImplementedError('naive stub')"}\n`
          : body === 'none'
            ? `export const ${name} = (..._args: unknown[]): undefined => undefined;\n`
            : `export const ${name} = (..._args: unknown[]): never => {\n  throw new Error('naive stub');\n};\n`,
      )
      .join('\n');
  const variants: NaiveVariant[] = [
    { name: 'returns-nothing', solution: stub('none') },
    { name: 'throws', solution: stub('throw') },
  ];
  if (p.original !== undefined) variants.push({ name: 'unchanged-original', solution: p.original });
  return variants;
}
