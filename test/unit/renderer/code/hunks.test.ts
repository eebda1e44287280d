// Per-hunk review logic: accepted selection for applyGeneration, counts, the j/k cursor and a hunk's two sides.
import { describe, expect, it } from 'vitest';
import type { FileDiff } from '../../../../common/codegen/types';
import {
  acceptedSelection,
  flattenHunks,
  hunkHeader,
  hunkKey,
  hunkSides,
  nextUndecided,
  reviewCounts,
  stepHunk,
  type HunkDecisions,
} from '../../../../renderer/features/code/hunks';

const diffs: FileDiff[] = [
  {
    path: 'src/a.py',
    oldHash: 'a'.repeat(64),
    hunks: [
      { id: 'h1', oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' def f():', '-    return 1', '+    return 2'] },
      { id: 'h2', oldStart: 10, oldLines: 1, newStart: 10, newLines: 2, lines: [' x = 1', '+y = 2'] },
    ],
  },
  // Same hunk id in another file: keys must keep them apart.
  { path: 'src/b.py', hunks: [{ id: 'h1', oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: ['+print(1)'] }] },
];

describe('hunk review', () => {
  it('flattens in diff order with per-file keys', () => {
    const all = flattenHunks(diffs);
    expect(all.map((h) => h.key)).toEqual([hunkKey('src/a.py', 'h1'), hunkKey('src/a.py', 'h2'), hunkKey('src/b.py', 'h1')]);
    expect(new Set(all.map((h) => h.key)).size).toBe(3);
  });

  it('sends only accepted hunks, grouped per file, files without any left out', () => {
    const d: HunkDecisions = {
      [hunkKey('src/a.py', 'h2')]: 'accepted',
      [hunkKey('src/a.py', 'h1')]: 'rejected',
      [hunkKey('src/b.py', 'h1')]: 'accepted',
    };
    expect(acceptedSelection(diffs, d)).toEqual([
      { path: 'src/a.py', hunkIds: ['h2'] },
      { path: 'src/b.py', hunkIds: ['h1'] },
    ]);
    expect(acceptedSelection(diffs, { [hunkKey('src/a.py', 'h1')]: 'rejected' })).toEqual([]);
    expect(reviewCounts(diffs, d)).toEqual({ total: 3, accepted: 2, rejected: 1, pending: 0 });
    expect(reviewCounts(diffs, {})).toEqual({ total: 3, accepted: 0, rejected: 0, pending: 3 });
  });

  it('moves the cursor without wrapping and jumps to the next undecided hunk', () => {
    expect(stepHunk(0, 3, -1)).toBe(0);
    expect(stepHunk(2, 3, 1)).toBe(2);
    expect(stepHunk(1, 3, 1)).toBe(2);
    expect(stepHunk(5, 0, 1)).toBe(0);
    const all = flattenHunks(diffs);
    expect(nextUndecided(all, { [all[0]!.key]: 'accepted' }, 0)).toBe(1);
    // Wraps to an earlier undecided hunk; stays when everything is decided.
    expect(nextUndecided(all, { [all[2]!.key]: 'accepted', [all[1]!.key]: 'rejected' }, 2)).toBe(0);
    const every = Object.fromEntries(all.map((h) => [h.key, 'accepted' as const]));
    expect(nextUndecided(all, every, 1)).toBe(1);
  });

  it("splits a hunk into its old and new text, honouring '\\ No newline at end of file'", () => {
    expect(hunkSides(diffs[0]!.hunks[0]!)).toEqual({ original: 'def f():\n    return 1\n', modified: 'def f():\n    return 2\n' });
    expect(hunkSides(diffs[1]!.hunks[0]!)).toEqual({ original: '', modified: 'print(1)\n' });
    // Only the new side lost its final newline.
    const eol = { id: 'e', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+a', '\\ No newline at end of file'] };
    expect(hunkSides(eol)).toEqual({ original: 'a\n', modified: 'a' });
    // A context line without a newline: both sides.
    const both = {
      id: 'c',
      oldStart: 1,
      oldLines: 2,
      newStart: 1,
      newLines: 2,
      lines: ['-x', '+y', ' end', '\\ No newline at end of file'],
    };
    expect(hunkSides(both)).toEqual({ original: 'x\nend', modified: 'y\nend' });
    expect(hunkHeader(diffs[0]!.hunks[1]!)).toBe('@@ -10,1 +10,2 @@');
  });
});
