// "Use selection": a CodeMirror selection becomes the 1-based line range the codegen request targets.
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { selectionLines } from '../../../../renderer/features/code/editor-selection';

const doc = Text.of(['def a():', '    return 1', '', 'def b():', '    return 2']);
const at = (line: number, col = 0) => doc.line(line).from + col;

describe('selectionLines', () => {
  it('covers the lines the selection touches, in either direction', () => {
    expect(selectionLines(doc, at(2, 4), at(4, 3))).toEqual({ startLine: 2, endLine: 4, text: 'return 1\n\ndef' });
    expect(selectionLines(doc, at(4, 3), at(2, 4))).toMatchObject({ startLine: 2, endLine: 4 });
  });
  it('leaves out a last line the selection only reaches the start of', () => {
    expect(selectionLines(doc, at(1), at(3))).toEqual({ startLine: 1, endLine: 2, text: 'def a():\n    return 1\n' });
  });
  it('keeps a one-line selection and refuses an empty one', () => {
    expect(selectionLines(doc, at(5, 4), at(5, 10))).toEqual({ startLine: 5, endLine: 5, text: 'return' });
    expect(selectionLines(doc, at(3), at(3))).toBeNull();
  });
});
