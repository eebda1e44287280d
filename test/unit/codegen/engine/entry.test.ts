import { describe, expect, it } from 'vitest';
import { resolveEntry, testFileFor } from '../../../../main/services/codegen/engine/entry';

describe('resolveEntry', () => {
  it('puts a test request next to its target by the language convention, never over the target', () => {
    expect(testFileFor('src/cart.py', 'python')).toBe('src/test_cart.py');
    expect(testFileFor('cart.py', 'python')).toBe('test_cart.py');
    expect(testFileFor('src/ui/cart.ts', 'typescript')).toBe('src/ui/cart.test.ts');
    expect(testFileFor('lib/cart.mjs', 'javascript')).toBe('lib/cart.test.mjs');
    const prompt = 'def total(items: list) -> float:\n    """Sum the prices."""\n';
    expect(resolveEntry({ type: 'test', targetFile: 'src/cart.py', language: 'python', prompt })).toEqual({
      file: 'src/test_cart.py',
      exports: [],
    });
  });

  it('other requests write into the target, or the default file with the names the prompt defines', () => {
    const prompt = 'def total(items: list) -> float:\n    """Sum the prices."""\n';
    expect(resolveEntry({ type: 'function', targetFile: 'src/cart.py', language: 'python', prompt })).toEqual({
      file: 'src/cart.py',
      exports: ['total'],
    });
    expect(resolveEntry({ type: 'test', language: 'python', prompt })).toEqual({ file: 'solution.py', exports: ['total'] });
  });
});
