// A checkpoint's git patch text becomes DiffHunks the diff view can show (sides rebuilt exactly).
import { describe, expect, it } from 'vitest';
import { hunkSides } from '../../../../renderer/features/code/hunks';
import { patchHunks } from '../../../../renderer/features/code/patch-hunks';

describe('patchHunks', () => {
  it('parses every hunk of a git patch, no-newline markers included; empty patch → none', () => {
    const patch = [
      'diff --git a/x.py b/x.py',
      'index 1111111..2222222 100644',
      '--- a/x.py',
      '+++ b/x.py',
      '@@ -1,2 +1,2 @@',
      ' a = 1',
      '-b = 2',
      '+b = 3',
      '@@ -10 +10 @@',
      '-end',
      '\\ No newline at end of file',
      '+end',
      '',
    ].join('\n');
    const hunks = patchHunks(patch);
    expect(hunks.map((h) => [h.id, h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      ['p0', 1, 2, 1, 2],
      ['p1', 10, 1, 10, 1],
    ]);
    expect(hunkSides(hunks[0]!)).toEqual({ original: 'a = 1\nb = 2\n', modified: 'a = 1\nb = 3\n' });
    expect(hunkSides(hunks[1]!)).toEqual({ original: 'end', modified: 'end\n' });
    expect(patchHunks('')).toEqual([]);
  });
});
