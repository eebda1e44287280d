// diffFile/diffFiles ids and applyHunks: any subset of hunks, exact bytes kept (CRLF, mixed, BOM, no final newline).
import { describe, expect, it } from 'vitest';
import { applyHunks, diffFile, diffFiles, sha256Hex } from '../../../../main/services/codegen/edits';
import { isEvolveError } from '../../../../common/errors';

const lines = (n: number, eol = '\n'): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join(eol) + eol;

/** Two changes far apart (two hunks) in a 40-line file. */
function twoChanges(eol: string): { before: string; after: string } {
  const before = lines(40, eol);
  const after = before.replace(`line 5${eol}`, `line five${eol}`).replace(`line 35${eol}`, `line 35${eol}inserted${eol}`);
  return { before, after };
}

function codeOf(e: unknown): string | undefined {
  return isEvolveError(e) ? e.code : undefined;
}

describe('diffFile', () => {
  it('makes one hunk per distant change with ids that are stable and distinct', () => {
    const { before, after } = twoChanges('\n');
    const d = diffFile('a.txt', before, after);
    expect(d.oldHash).toBe(sha256Hex(before));
    expect(d.hunks).toHaveLength(2);
    expect(d.hunks[0]).toMatchObject({ oldStart: 2, oldLines: 7, newStart: 2, newLines: 7 });
    expect(d.hunks[0]!.lines).toContain('-line 5');
    expect(d.hunks[0]!.lines).toContain('+line five');
    expect(diffFile('a.txt', before, after).hunks.map((h) => h.id)).toEqual(d.hunks.map((h) => h.id));
    expect(new Set(d.hunks.map((h) => h.id)).size).toBe(2);
    expect(diffFile('b.txt', before, after).hunks[0]!.id).not.toBe(d.hunks[0]!.id);
  });

  it('line endings and BOM alone are no change; a new file has no oldHash', () => {
    expect(diffFile('a.txt', '\uFEFFa\r\nb\r\n', 'a\nb\n').hunks).toEqual([]);
    expect(diffFile('n.txt', undefined, 'x\n')).toEqual({ path: 'n.txt', hunks: [expect.objectContaining({ lines: ['+x'] })] });
    expect(() => diffFile('', 'a', 'b')).toThrow(/path/);
  });

  it('diffFiles lists changed and new files only', () => {
    const ds = diffFiles({ 'a.py': 'x\n', 'b.py': 'y\n' }, { 'a.py': 'x\n', 'b.py': 'z\n', 'c.py': 'new\n' });
    expect(ds.map((d) => d.path)).toEqual(['b.py', 'c.py']);
    expect(ds[1]!.oldHash).toBeUndefined();
  });
});

describe('applyHunks', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`applies all, none, or each hunk alone (${JSON.stringify(eol)} endings)`, () => {
      const { before, after } = twoChanges(eol);
      const d = diffFile('a.txt', before, after);
      const [h1, h2] = d.hunks.map((h) => h.id) as [string, string];
      expect(applyHunks(before, d, [h1, h2])).toBe(after);
      expect(applyHunks(before, d, [])).toBe(before);
      expect(applyHunks(before, d, [h1])).toBe(before.replace(`line 5${eol}`, `line five${eol}`));
      expect(applyHunks(before, d, [h2])).toBe(before.replace(`line 35${eol}`, `line 35${eol}inserted${eol}`));
    });
  }

  it('keeps a BOM and mixed endings byte for byte when the edit came back as LF without BOM', () => {
    const before = '\uFEFFa\r\nb\nc\r\nd\r\n';
    const edited = 'a\nb\nC\nd\ne\n'; // the model's view: LF, no BOM
    const d = diffFile('m.txt', before, edited);
    expect(
      applyHunks(
        before,
        d,
        d.hunks.map((h) => h.id),
      ),
    ).toBe('\uFEFFa\r\nb\nC\r\nd\r\ne\r\n');
  });

  it('handles the last line without a newline, in both directions', () => {
    const d1 = diffFile('x', 'a\nb', 'a\nb\nc\n');
    expect(
      applyHunks(
        'a\nb',
        d1,
        d1.hunks.map((h) => h.id),
      ),
    ).toBe('a\nb\nc\n');
    const d2 = diffFile('x', 'a\nb\n', 'a\nB');
    expect(
      applyHunks(
        'a\nb\n',
        d2,
        d2.hunks.map((h) => h.id),
      ),
    ).toBe('a\nB');
    const d3 = diffFile('x', 'a\r\nb', 'a\nb\nc');
    expect(
      applyHunks(
        'a\r\nb',
        d3,
        d3.hunks.map((h) => h.id),
      ),
    ).toBe('a\r\nb\r\nc');
  });

  it('creates a new file and empties one', () => {
    const d = diffFile('n', undefined, 'é\n😀\n');
    expect(
      applyHunks(
        undefined,
        d,
        d.hunks.map((h) => h.id),
      ),
    ).toBe('é\n😀\n');
    const e = diffFile('e', 'a\nb\n', '');
    expect(
      applyHunks(
        'a\nb\n',
        e,
        e.hunks.map((h) => h.id),
      ),
    ).toBe('');
  });

  it('CONFLICT when the file changed since the diff (hash) or exists for a create; INVALID_ARGUMENT for a bad id', () => {
    const { before, after } = twoChanges('\n');
    const d = diffFile('a.txt', before, after);
    const ids = d.hunks.map((h) => h.id);
    const tries: [() => unknown, string][] = [
      [() => applyHunks(before + 'more\n', d, ids), 'CONFLICT'],
      [() => applyHunks(undefined, d, ids), 'CONFLICT'],
      [() => applyHunks('already here\n', diffFile('n', undefined, 'x\n'), []), 'CONFLICT'],
      [() => applyHunks(before, d, ['nope']), 'INVALID_ARGUMENT'],
      [
        () => applyHunks(before, { ...d, oldHash: undefined, hunks: d.hunks.map((h) => ({ ...h, oldStart: h.oldStart + 1 })) }, ids),
        'CONFLICT',
      ],
    ];
    for (const [f, code] of tries) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(codeOf(e)).toBe(code);
      }
    }
    expect(() =>
      applyHunks(before, { path: 'a', hunks: [{ id: 'x', oldStart: 1, oldLines: 0, newStart: 1, newLines: 0, lines: ['?bad'] }] }, []),
    ).toThrow();
  });

  it('random edits: every subset of hunks gives the file with exactly those changes (seeded)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 40; round++) {
      const eol = rnd(2) ? '\r\n' : '\n';
      const src = Array.from({ length: 30 + rnd(30) }, (_, i) => `l${i}`);
      const dst = [...src];
      for (let k = 0; k < 4; k++) {
        const at = rnd(dst.length);
        const op = rnd(3);
        if (op === 0) dst.splice(at, 1);
        else if (op === 1) dst.splice(at, 0, `new${round}-${k}`);
        else dst[at] = `chg${round}-${k}`;
      }
      const before = src.join(eol) + (rnd(2) ? eol : '');
      const after = dst.join(eol) + eol;
      const d = diffFile('r', before, after);
      const ids = d.hunks.map((h) => h.id);
      expect(applyHunks(before, d, ids).replace(/\r\n/g, '\n')).toBe(after.replace(/\r\n/g, '\n'));
      expect(applyHunks(before, d, [])).toBe(before);
      // Accepting one hunk then diffing the rest gives back the other hunks' content.
      if (ids.length > 1) {
        const partial = applyHunks(before, d, [ids[0]!]);
        const rest = diffFile('r', partial, after);
        expect(rest.hunks.length).toBe(ids.length - 1);
        if (eol === '\r\n') expect(partial.replace(/\r\n/g, '')).not.toContain('\n');
      }
    }
  });
});
