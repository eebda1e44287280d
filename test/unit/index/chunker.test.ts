// The chunker on a real sample per language: small functions whole, big classes collapsed and split into
// members, big functions split, ids as content hashes, fallbacks to line windows.
import { describe, expect, it } from 'vitest';
import { chunkId, chunkSource, lineWindowChunks, MAX_SYMBOL_CHARS } from '../../../native/index/chunker';
import { loadAllGrammars } from '../../../native/index/grammars';
import { countTokens } from '../../../native/index/tokens';
import { SAMPLES } from './samples';

const MAX = 80;

describe('grammars', () => {
  it('loads all nine grammars into the one web-tree-sitter runtime', async () => {
    const info = await loadAllGrammars();
    expect(info.grammars.map((g) => g.lang).sort()).toEqual([
      'c',
      'cpp',
      'go',
      'java',
      'javascript',
      'python',
      'rust',
      'tsx',
      'typescript',
    ]);
    for (const g of info.grammars) expect(g.abi).toBeGreaterThanOrEqual(14);
  });
});

describe.each(SAMPLES)('chunkSource: $lang', (s) => {
  it('parses cleanly, keeps the small function whole and splits the big definition', async () => {
    const r = await chunkSource(s.rel, s.text, { maxChunkTokens: MAX });
    expect(r.lang).toBe(s.lang);
    expect(r.parseError).toBeUndefined();
    const small = r.chunks.filter((c) => c.symbol === s.small);
    expect(small).toHaveLength(1);
    expect(['function', 'method']).toContain(small[0]!.kind);
    const smallName = s.small.split('.').pop()!;
    expect(small[0]!.text).toContain(smallName);
    // Whole: the chunk spans the definition from its first line to its closing line.
    expect(
      s.text
        .split('\n')
        .slice(small[0]!.startLine - 1, small[0]!.endLine)
        .join('\n'),
    ).toBe(small[0]!.text);

    if (s.bigIsClass) {
      const outline = r.chunks.find((c) => c.kind === 'class' && c.symbol === s.big);
      expect(outline, 'collapsed class chunk').toBeDefined();
      expect(outline!.text).toMatch(s.lang === 'python' ? /:\s*\.\.\./ : /\{ \.\.\. \}/);
      for (const m of s.members) {
        const member = r.chunks.filter((c) => c.symbol === m || c.symbol?.startsWith(`${m}`));
        expect(member.length, `member ${m}`).toBeGreaterThan(0);
      }
    } else {
      const parts = r.chunks.filter((c) => c.symbol === s.big);
      expect(parts.length).toBeGreaterThan(1);
    }
    for (const c of r.chunks) {
      expect(c.id).toBe(chunkId(s.lang, c.text));
      if (c.kind !== 'class') expect(countTokens(c.text)).toBeLessThanOrEqual(MAX);
      expect(c.startLine).toBeLessThanOrEqual(c.endLine);
    }
  });

  it('keeps the whole file as one chunk when it fits', async () => {
    const r = await chunkSource(s.rel, s.text, { maxChunkTokens: 4096 });
    expect(r.chunks).toHaveLength(1);
    expect(r.chunks[0]!.text).toBe(s.text.replace(/\n$/, ''));
  });
});

describe('chunkSource fallbacks', () => {
  it('gives equal ids to equal text and different ids to different languages', async () => {
    const a = await chunkSource('a.ts', 'export function f() { return 1; }\n');
    const b = await chunkSource('elsewhere/b.ts', 'export function f() { return 1; }\n');
    expect(a.chunks[0]!.id).toBe(b.chunks[0]!.id);
    const c = await chunkSource('c.js', 'export function f() { return 1; }\n');
    expect(c.chunks[0]!.id).not.toBe(a.chunks[0]!.id);
  });

  it('falls back to line windows for a file that does not parse, and says where', async () => {
    const broken = `export function ok() { return 1; }\n${'const x = 1;\n'.repeat(40)}function broken( {\n  return ;;; }}}\n`;
    const r = await chunkSource('broken.ts', broken, { maxChunkTokens: MAX });
    expect(r.parseError).toMatch(/Syntax error near line \d+/);
    expect(r.chunks.length).toBeGreaterThan(1);
    expect(r.chunks.every((c) => c.kind === 'window')).toBe(true);
    expect(r.chunks.map((c) => c.text).join('\n')).toContain('function broken(');
  });

  it('windows plain text and cuts a minified line into pieces', async () => {
    const md = Array.from({ length: 100 }, (_, i) => `Line ${i} of the readme.`).join('\n');
    const r = await chunkSource('README.md', md, { maxChunkTokens: MAX });
    expect(r.lang).toBeNull();
    expect(r.chunks.length).toBeGreaterThan(3);
    expect(r.chunks[0]!.startLine).toBe(1);
    expect(r.chunks.at(-1)!.endLine).toBe(100);
    const minified = lineWindowChunks('app.min.js', 'javascript', `var a=1;${'b(a);'.repeat(500)}`, MAX);
    expect(minified.length).toBeGreaterThan(5);
    for (const c of minified) expect(c.startLine).toBe(1);
  });

  it('keeps a doc comment with the function it documents', async () => {
    const text = `/**\n * Waits until calls stop for a while.\n */\nexport function quiet(fn: () => void) {\n  return fn;\n}\n${'export const pad = 1;\n'.repeat(60)}`;
    const r = await chunkSource('q.ts', text, { maxChunkTokens: MAX });
    const fn = r.chunks.find((c) => c.symbol === 'quiet')!;
    expect(fn.startLine).toBe(1);
    expect(fn.text).toContain('Waits until calls stop');
  });
});

describe('symbols', () => {
  it('keeps the innermost part of a symbol longer than the store accepts', async () => {
    const name = `handler${'X'.repeat(600)}`;
    const body = Array.from({ length: 30 }, (_, i) => `  total += step(${i});`).join('\n');
    const src = `function ${name}() {\n  let total = 0;\n${body}\n  return total;\n}\n\nfunction other() {\n${body}\n}\n`;
    const r = await chunkSource('long.js', src, { maxChunkTokens: 400 });
    const sym = r.chunks.find((c) => c.kind === 'function')?.symbol ?? '';
    expect(sym.length).toBe(MAX_SYMBOL_CHARS);
    expect(sym.startsWith('…')).toBe(true);
    expect(name.endsWith(sym.slice(1))).toBe(true);
  });
});
