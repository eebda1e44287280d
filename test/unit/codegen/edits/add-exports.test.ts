// addMissingExports: the names a TS/JS request asked for are exported when the model declared them without `export`.
import { describe, expect, it } from 'vitest';
import { addMissingExports } from '../../../../main/services/codegen/edits';

describe('addMissingExports', () => {
  it('exports a top-level function, async function, generator, class and const the request names', () => {
    const code = [
      'function kebabCase(s: string): string {',
      '  return s;',
      '}',
      'async function load() {}',
      'function* ids() {}',
      'class Stack {}',
      'const $fmt = (x: number) => `${x}`;',
    ].join('\n');
    const r = addMissingExports(code, ['kebabCase', 'load', 'ids', 'Stack', '$fmt'], 'typescript');
    expect(r.added).toEqual(['kebabCase', 'load', 'ids', 'Stack', '$fmt']);
    expect(r.code).toContain('export function kebabCase(');
    expect(r.code).toContain('export async function load(');
    expect(r.code).toContain('export function* ids(');
    expect(r.code).toContain('export class Stack');
    expect(r.code).toContain('export const $fmt =');
  });

  it('leaves names that are already exported, by declaration or by an export list', () => {
    const code = 'export function a() {}\nfunction b() {}\nexport { b };\nexport default function c() {}\n';
    expect(addMissingExports(code, ['a', 'b', 'c'], 'typescript')).toEqual({ code, added: [] });
  });

  it('touches only the top-level declaration, not a nested one or a helper of another name', () => {
    const code = 'function outer() {\n  function kebab() {}\n}\nfunction kebabCaseHelper() {}\n';
    expect(addMissingExports(code, ['kebab', 'kebabCase'], 'javascript')).toEqual({ code, added: [] });
  });

  it('leaves CommonJS modules and Python alone', () => {
    const cjs = 'function f() {}\nmodule.exports = { f };\n';
    expect(addMissingExports(cjs, ['f'], 'javascript').added).toEqual([]);
    const py = 'def f():\n    pass\n';
    expect(addMissingExports(py, ['f'], 'python')).toEqual({ code: py, added: [] });
  });
});
