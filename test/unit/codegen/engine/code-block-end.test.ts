// Where a streamed one-block answer is cut: right after the closing fence line, never on the opening one.
import { describe, expect, it } from 'vitest';
import { codeBlockEnd } from '../../../../main/services/codegen/engine/code-block-end';

describe('codeBlockEnd', () => {
  it('is the offset after the closing fence line, so prose after it is not generated', () => {
    const block = '```python\ndef f():\n    return 1\n```\n';
    expect(codeBlockEnd(`${block}This function returns 1.`)).toBe(block.length);
    expect(codeBlockEnd(`Here it is:\n${block}`)).toBe(`Here it is:\n${block}`.length);
  });

  it('waits while the block is open, and for the newline of a fence line', () => {
    expect(codeBlockEnd('```python\ndef f():\n')).toBeUndefined();
    expect(codeBlockEnd('```python\ndef f():\n```')).toBeUndefined(); // "```" may still grow into "```py"
    expect(codeBlockEnd('```')).toBeUndefined();
    expect(codeBlockEnd('def f():\n    return 1\n')).toBeUndefined(); // no fence: generation ends on its own
  });

  it('an untagged opening fence opens; backticks inside code and a longer closing run are handled', () => {
    expect(codeBlockEnd('Sure:\n```\nx = "```"\n```\nmore')).toBe('Sure:\n```\nx = "```"\n```\n'.length);
    expect(codeBlockEnd('~~~py\na = 1\n```\nb = 2\n~~~\n')).toBe('~~~py\na = 1\n```\nb = 2\n~~~\n'.length);
  });
});
