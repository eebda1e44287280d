// The text formats the checkpoint store reads back from git: log records with trailers, raw diffs, split patches, labels.
import { describe, expect, it } from 'vitest';
import { parseLog, parseRawDiff, splitPatch, trailerText } from '../../../main/services/workspace/checkpoints/log-format';
import { CheckpointLabelSchema } from '../../../main/services/workspace/checkpoints/types';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function record(id: string, body: string, paths: string[]): string {
  return `\x1e${id}\x1f${body}\x1f\0${paths.length ? '\n' + paths.map((p) => `${p}\0`).join('') : ''}`;
}

describe('checkpoint log format', () => {
  it('reads kind, time, label, trailers and path lists; caps paths but keeps the total', () => {
    const out = Buffer.from(
      record(A, `before undo\n\n${trailerText({ Kind: 'pre-restore', At: '1700000000123', 'Undo-Of': B })}\n`, ['x.ts']) +
        record(B, `apply 1\n\n${trailerText({ Kind: 'checkpoint', At: '1700000000000' })}\n`, ['a.ts', 'b c.ts', 'd/e.ts']),
    );
    const [pre, cp] = parseLog(out, 2);
    expect(pre).toEqual({ id: A, at: 1700000000123, label: 'before undo', kind: 'pre-restore', files: ['x.ts'], filesTotal: 1, undoOf: B });
    expect(cp).toEqual({ id: B, at: 1700000000000, label: 'apply 1', kind: 'checkpoint', files: ['a.ts', 'b c.ts'], filesTotal: 3 });
  });

  it('skips commits the store did not write (no kind trailer, bad time, bad id)', () => {
    const out = Buffer.from(
      record(A, 'made by hand\n', ['a']) +
        record(B, `x\n\n${trailerText({ Kind: 'checkpoint', At: 'soon' })}\n`, []) +
        record('HEAD', `x\n\n${trailerText({ Kind: 'checkpoint', At: '1' })}\n`, []) +
        record(C, `ok\n\n${trailerText({ Kind: 'checkpoint', At: '5' })}\n`, []),
    );
    expect(parseLog(out, 10).map((c) => c.id)).toEqual([C]);
  });

  it('pairs raw diff entries with their patches in order', () => {
    const raw = Buffer.from(
      `:100644 100644 ${A} ${B} M\0a.ts\0:000000 100644 ${'0'.repeat(40)} ${C} A\0new file.ts\0:100644 000000 ${A} ${'0'.repeat(40)} D\0old.ts\0`,
    );
    expect(parseRawDiff(raw)).toEqual([
      { path: 'a.ts', status: 'modified' },
      { path: 'new file.ts', status: 'added' },
      { path: 'old.ts', status: 'deleted' },
    ]);
    const patch = Buffer.from(
      'diff --git a/a.ts b/a.ts\n-1\n+2\ndiff --git a/new file.ts b/new file.ts\n+x\ndiff --git a/old.ts b/old.ts\n-y\n',
    );
    const parts = splitPatch(patch);
    expect(parts).toHaveLength(3);
    expect(parts[1]).toBe('diff --git a/new file.ts b/new file.ts\n+x\n');
  });

  it('labels become one trimmed line of at most 200 characters', () => {
    expect(CheckpointLabelSchema.parse('  apply\r\n\tfix  ')).toBe('apply fix');
    expect(CheckpointLabelSchema.safeParse('\n\n').success).toBe(false);
    expect(CheckpointLabelSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });
});
