// The editor's "cannot open" messages from workspace.readFile's typed errors.
import { describe, expect, it } from 'vitest';
import { fileNotice } from '../../../../renderer/features/code/file-notice';

describe('fileNotice', () => {
  it('explains binary, too-large and missing files; leaves other errors alone', () => {
    expect(fileNotice('logo.png', { code: 'INVALID_ARGUMENT', message: 'logo.png is a binary file' }, { binary: true })).toMatchObject({
      kind: 'binary',
      message: expect.stringMatching(/^logo\.png is a binary/),
    });
    const big = fileNotice(
      'data.json',
      { code: 'RESOURCE_EXHAUSTED', message: 'too big' },
      { size: 5 * 1024 * 1024, limit: 2 * 1024 * 1024 },
    );
    expect(big).toEqual({
      kind: 'too-large',
      message: "data.json is 5.0 MB, over the editor's 2.0 MB limit: it is not opened, and nothing was changed.",
    });
    expect(fileNotice('x.txt', { code: 'RESOURCE_EXHAUSTED', message: 'too big' })?.message).toMatch(
      /larger than the editor's 2\.0 MB limit/,
    );
    expect(fileNotice('gone.py', { code: 'NOT_FOUND', message: 'no such file' })?.kind).toBe('missing');
    // A plain invalid path is an error, not a binary file.
    expect(fileNotice('../x', { code: 'INVALID_ARGUMENT', message: 'outside the project' })).toBeNull();
    expect(fileNotice('x', { code: 'INTERNAL', message: 'boom' })).toBeNull();
  });
});
