// Whole-file answers, the edit-format choice, closest-lines search, and the text helpers (EOL, BOM, strict UTF-8).
import { describe, expect, it } from 'vitest';
import {
  applyWholeFiles,
  chooseEditFormat,
  decodeUtf8,
  extractCode,
  fromModelText,
  parseWholeFiles,
  splitLines,
  toModelText,
} from '../../../../main/services/codegen/edits';
import { closestLines, lineSimilarity, locate } from '../../../../main/services/codegen/edits/match';
import { dominantEol } from '../../../../main/services/codegen/edits/text';

const F = '```';

describe('parseWholeFiles', () => {
  it('reads path lines before fences and paths in the fence line; skips blocks without a path', () => {
    const a = `Here are the files.\n\nsrc/a.py\n${F}python\nx = 1\n${F}\n\n**src/b.py**\n\n${F}python\ny = 2\n\n${F}\n\n${F}ts lib/c.ts\nexport const c = 3;\n${F}\n\nExample:\n${F}python\nprint(x)\n${F}`;
    expect(parseWholeFiles(a)).toEqual([
      { path: 'src/a.py', content: 'x = 1\n' },
      { path: 'src/b.py', content: 'y = 2\n' },
      { path: 'lib/c.ts', content: 'export const c = 3;\n' },
    ]);
  });

  it("drops a stray bare fence wrapped around the prompt's file header (the eval's 1.5B answer shape)", () => {
    // Recorded from Qwen2.5-Coder 1.5B on ts-edit-paginate-bug: the header and the inner fence used to become the file.
    const a = `${F}\n## File \`solution.ts\`\n${F}typescript\nexport const n = 1;\n${F}`;
    expect(parseWholeFiles(a)).toEqual([{ path: 'solution.ts', content: 'export const n = 1;\n' }]);
    expect(parseWholeFiles(`## File \`src/a.py\` now, with your earlier edits applied\n${F}python\nx = 1\n${F}`)).toEqual([
      { path: 'src/a.py', content: 'x = 1\n' },
    ]);
    expect(parseWholeFiles(`${F}\n${F}python\nx = 1\n${F}`)).toEqual([]);
    expect(extractCode(`${F}\n${F}python\nx = 1\n${F}`, 'python').code).toBe('x = 1\n');
    // A bare block whose first line is code stays one block.
    expect(extractCode(`${F}\nx = 1\n${F}`, 'python').code).toBe('x = 1\n');
  });

  it('an empty block is an empty file; prose only gives nothing', () => {
    expect(parseWholeFiles(`empty.py\n${F}\n${F}`)).toEqual([{ path: 'empty.py', content: '' }]);
    expect(parseWholeFiles('Nothing to change.')).toEqual([]);
  });
});

describe('applyWholeFiles', () => {
  it('takes complete files in the original conventions and creates new ones', () => {
    const r = applyWholeFiles({ 'a.py': '\uFEFFx = 1\r\n' }, [
      { path: 'a.py', content: 'x = 2\n' },
      { path: 'b.py', content: 'y = 1\n' },
    ]);
    expect(r).toEqual({ files: { 'a.py': '\uFEFFx = 2\r\n', 'b.py': 'y = 1\n' }, failed: [] });
  });

  it('refuses a file that elides code the original does not elide, with feedback', () => {
    for (const line of ['    # ... rest of the code unchanged', '// ... existing code ...', '    # ...', '# rest of the file']) {
      const r = applyWholeFiles({ 'a.py': 'def f():\n    return 1\n\n\ndef g():\n    return 2\n' }, [
        { path: 'a.py', content: `def f():\n    return 3\n${line}\n` },
      ]);
      expect(r.files, line).toEqual({});
      expect(r.failed[0]).toMatchObject({ path: 'a.py', reason: 'elided' });
      expect(r.feedback).toMatch(/Send the complete file/);
    }
    // The same comment already in the original is content, not an elision.
    const orig = 'x = 1\n# ...\n';
    expect(applyWholeFiles({ 'a.py': orig }, [{ path: 'a.py', content: 'x = 2\n# ...\n' }]).files['a.py']).toBe('x = 2\n# ...\n');
    // Normal code mentioning "unchanged" in an identifier is not an elision.
    expect(applyWholeFiles({ 'a.py': 'x\n' }, [{ path: 'a.py', content: 'unchanged_count = 0\n' }]).failed).toEqual([]);
  });
});

describe('chooseEditFormat', () => {
  it('whole files for small files (larger limit for small models), SEARCH/REPLACE otherwise', () => {
    expect(chooseEditFormat([1200, 5000])).toBe('whole');
    expect(chooseEditFormat([1200, 9000])).toBe('search-replace');
    expect(chooseEditFormat([9000], 1.5)).toBe('whole');
    expect(chooseEditFormat([], 1.5)).toBe('search-replace');
  });
});

describe('matching helpers', () => {
  it('lineSimilarity ignores indentation and grades near misses', () => {
    expect(lineSimilarity('    return a + b', 'return a + b')).toBe(1);
    expect(lineSimilarity('def greet(name):', 'def greet(nam):')).toBeGreaterThan(0.8);
    expect(lineSimilarity('import os', 'class Zebra:')).toBeLessThan(0.2);
  });

  it('closestLines returns the best window with context, or nothing under the threshold', () => {
    const whole = ['a = 1', 'b = 2', 'def f(x):', '    return x * 2', 'c = 3', 'd = 4', 'e = 5', 'g = 6'];
    expect(closestLines(whole, ['def f(y):', '    return y * 2'], 0.6, 1)).toBe('b = 2\ndef f(x):\n    return x * 2\nc = 3');
    expect(closestLines(whole, ['class Q:', '    pass'])).toBeUndefined();
    expect(closestLines([], ['x'])).toBeUndefined();
  });

  it('locate refuses to choose between two whitespace-flexible matches', () => {
    expect(locate(['  x = 1', 'y', '    x = 1'], ['x = 1'], ['x = 2'])).toEqual({ kind: 'ambiguous', starts: [0, 2], how: 'whitespace' });
    expect(locate(['\tif a:', '\t\tb()'], ['if a:', '    b()'], ['z'])).toEqual({ kind: 'none' });
  });
});

describe('text helpers', () => {
  it('splitLines keeps each line ending, including mixed and a last line without one', () => {
    expect(splitLines('\uFEFFa\r\nb\nc\rd')).toEqual({ bom: true, lines: ['a', 'b', 'c', 'd'], eols: ['\r\n', '\n', '\r', ''] });
    expect(splitLines('')).toEqual({ bom: false, lines: [], eols: [] });
  });

  it('dominantEol, toModelText and fromModelText round-trip a CRLF file with BOM', () => {
    expect(dominantEol(['\r\n', '\r\n', '\n'])).toBe('\r\n');
    expect(dominantEol([])).toBe('\n');
    const f = '\uFEFFa\r\nb\r\n';
    expect(toModelText(f)).toBe('a\nb\n');
    expect(fromModelText(toModelText(f), f)).toBe(f);
  });

  it('decodeUtf8 keeps a BOM and refuses binary or invalid UTF-8 with a typed error', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
    expect(decodeUtf8(new TextEncoder().encode('Zoë 😀'))).toBe('Zoë 😀');
    expect(() => decodeUtf8(new Uint8Array([0x61, 0x00, 0x62]), 'img.png')).toThrow(/img.png looks binary/);
    expect(() => decodeUtf8(new Uint8Array([0xc3, 0x28]), 'latin.txt')).toThrow(/not valid UTF-8/);
  });
});
