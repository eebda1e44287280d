// Inline completion's window (character caps, a stepped line-aligned prefix start), its end-of-completion rules and the LRU.
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../common/base/lru-cache';
import { inlineStops, inlineWindow, trimCompletion } from '../../../common/completion/inline-context';

describe('inlineWindow', () => {
  it('passes short text through untouched', () => {
    expect(inlineWindow('def f(x):\n    ', '\nprint(f(1))\n')).toEqual({ prefix: 'def f(x):\n    ', suffix: '\nprint(f(1))\n' });
  });

  it('keeps the end of a long prefix, starting on a line start, within the cap', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line_${i} = ${i}`);
    const before = `${lines.join('\n')}\nx = `;
    const w = inlineWindow(before, '', { prefixChars: 1000, step: 256 });
    expect(w.prefix.length).toBeLessThanOrEqual(1000);
    expect(before.endsWith(w.prefix)).toBe(true);
    expect(before[before.length - w.prefix.length - 1]).toBe('\n');
    expect(w.prefix.endsWith('x = ')).toBe(true);
  });

  it('moves the prefix start in steps, so typing does not shift the start of the prompt (the KV cache start)', () => {
    const before = Array.from({ length: 300 }, (_, i) => `v${i} = ${i}`).join('\n') + '\n';
    const starts = new Set<number>();
    let text = before;
    for (const ch of 'result = compute(alpha, beta)') {
      text += ch;
      const w = inlineWindow(text, '', { prefixChars: 1000, step: 256 });
      starts.add(text.length - w.prefix.length);
    }
    // 30 keystrokes, at most one step boundary crossed.
    expect(starts.size).toBeLessThanOrEqual(2);
  });

  it('cuts a single huge line mid-line rather than dropping it', () => {
    const w = inlineWindow('x'.repeat(5000), '', { prefixChars: 1000, step: 256 });
    expect(w.prefix.length).toBeGreaterThan(0);
    expect(w.prefix.length).toBeLessThanOrEqual(1000);
  });

  it('keeps the head of a long suffix up to its last line break inside the cap', () => {
    const after = Array.from({ length: 200 }, (_, i) => `after_${i}()`).join('\n');
    const w = inlineWindow('', after, { suffixChars: 300 });
    expect(w.suffix.length).toBeLessThanOrEqual(300);
    expect(after.startsWith(w.suffix)).toBe(true);
    expect(w.suffix.endsWith('\n')).toBe(true);
  });
});

describe('trimCompletion', () => {
  it('stops at a blank line', () => {
    expect(trimCompletion('return a + b\n\ndef other():\n    pass', { prefix: 'def add(a, b):\n    ', suffix: '' })).toBe('return a + b');
  });

  it('stops where the completion leaves the cursor block (a dedent)', () => {
    const prefix = 'def add(a, b):\n    ';
    expect(trimCompletion('total = a + b\n    return total\nprint(add(1, 2))', { prefix, suffix: '' })).toBe(
      'total = a + b\n    return total',
    );
  });

  it('keeps a body that starts on the next line after a block opener, and stops at the next top-level line', () => {
    const prefix = 'def add(a, b):';
    expect(trimCompletion('\n    return a + b\ndef sub(a, b):', { prefix, suffix: '' })).toBe('\n    return a + b');
  });

  it('stops at a closing brace the suffix already has', () => {
    const prefix = 'function add(a, b) {\n  ';
    expect(trimCompletion('return a + b;\n}', { prefix, suffix: '\n}\n' })).toBe('return a + b;');
  });

  it('does not repeat the line that follows the cursor', () => {
    const prefix = 'def f(xs):\n    ';
    const suffix = '\n    return total\n';
    expect(trimCompletion('total = sum(xs)\n    return total', { prefix, suffix })).toBe('total = sum(xs)');
  });

  it('normalises CRLF and drops trailing whitespace', () => {
    expect(trimCompletion('x = 1\r\n    y = 2  \r\n', { prefix: '    ', suffix: '' })).toBe('x = 1\n    y = 2');
  });
});

describe('inlineStops', () => {
  it('fills only the rest of the line when text follows the cursor on it, else stops at a blank line', () => {
    expect(inlineStops(')\nprint(1)\n')).toEqual(['\n']);
    expect(inlineStops('  \nprint(1)\n')).toEqual(['\n\n', '\r\n\r\n']);
    expect(inlineStops('')).toEqual(['\n\n', '\r\n\r\n']);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry past its capacity; a get counts as a use', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
