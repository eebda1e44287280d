// The Git panel's diff helpers: split per file (paths with spaces, new and deleted files), the model cap at a line
// boundary, the review answer's list as findings, and the language of a change.
import { describe, expect, it } from 'vitest';
import { capDiff, dominantLanguage, parseReviewFindings, splitDiffByFile } from '../../../common/workspace/git-diff';

const DIFF = [
  'diff --git a/src/a b.py b/src/a b.py',
  'index 1111111..2222222 100644',
  '--- a/src/a b.py',
  '+++ b/src/a b.py',
  '@@ -1,2 +1,2 @@',
  ' x = 1',
  '-y = 2',
  '+y = 3',
  'diff --git a/new.ts b/new.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/new.ts',
  '@@ -0,0 +1 @@',
  '+export const n = 1;',
  'diff --git a/gone.py b/gone.py',
  'deleted file mode 100644',
  '--- a/gone.py',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-G = 1',
  '',
].join('\n');

describe('splitDiffByFile', () => {
  it('gives one patch per file with its path (spaces kept; new and deleted files named)', () => {
    const files = splitDiffByFile(DIFF);
    expect(files.map((f) => f.path)).toEqual(['src/a b.py', 'new.ts', 'gone.py']);
    expect(files[0]!.patch).toContain('+y = 3');
    expect(files[0]!.patch).not.toContain('new.ts');
    expect(files[2]!.patch.endsWith('-G = 1\n')).toBe(true);
    // Nothing is lost: the patches put back together are the diff.
    expect(files.map((f) => f.patch).join('')).toBe(DIFF);
  });
  it('is empty for an empty diff', () => {
    expect(splitDiffByFile('')).toEqual([]);
  });
});

describe('capDiff', () => {
  it('keeps a short diff whole', () => {
    expect(capDiff(DIFF, 10_000)).toEqual({ text: DIFF, cut: false, totalChars: DIFF.length });
  });
  it('cuts a long one at the last line break before the cap and says so', () => {
    const r = capDiff(DIFF, 100);
    expect(r.cut).toBe(true);
    expect(r.totalChars).toBe(DIFF.length);
    expect(r.text.length).toBeLessThanOrEqual(100);
    expect(r.text.endsWith('\n')).toBe(true);
    expect(DIFF.startsWith(r.text)).toBe(true);
  });
});

describe('parseReviewFindings', () => {
  it('reads `- line N: problem — fix` items and plain items', () => {
    const f = parseReviewFindings(
      'Here is my review:\n- line 7: y changes from 2 to 3 — check callers\n  that rely on it\n* Missing test for new.ts\n1. **line 2**: typo',
    );
    expect(f).toEqual([
      { line: 7, text: 'y changes from 2 to 3 — check callers that rely on it' },
      { line: null, text: 'Missing test for new.ts' },
      { line: 2, text: 'typo' },
    ]);
  });
  it('drops bare locations a looping model emits and repeated items', () => {
    const loop = Array.from({ length: 30 }, (_, i) => `- src/cart.py: ${i + 1}`).join('\n');
    expect(parseReviewFindings(loop)).toEqual([]);
    expect(parseReviewFindings(`- line 3: discount is not validated\n- line 3: discount is not validated\n${loop}`)).toEqual([
      { line: 3, text: 'discount is not validated' },
    ]);
  });
  it('keeps prose without a list as one finding, and nothing for an empty answer', () => {
    expect(parseReviewFindings('Looks fine.')).toEqual([{ line: null, text: 'Looks fine.' }]);
    expect(parseReviewFindings('  \n')).toEqual([]);
  });
});

describe('dominantLanguage', () => {
  it('picks the language most changed files are in; null when none is source', () => {
    expect(dominantLanguage(['a.py', 'b.py', 'c.ts', 'README.md'])).toBe('python');
    expect(dominantLanguage(['web/App.tsx', 'x.ts'])).toBe('typescript');
    expect(dominantLanguage(['README.md', 'Makefile'])).toBeNull();
  });
});
