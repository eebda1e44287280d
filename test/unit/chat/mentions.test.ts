// The mention parser (@file / @symbol / @project) and the prompt's context placement.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { parseMentions } from '../../../main/services/chat/mentions';
import { withContextBlock } from '../../../main/services/chat/turns';
import { fileMention, insertMention, mentionAtCaret, symbolMention } from '../../../renderer/features/assistant/mention-caret';

describe('parseMentions', () => {
  it('finds each kind, once, in order', () => {
    expect(parseMentions('Compare @file:src/a.ts with @symbol:Foo.bar, using @project. Also @file:src/a.ts')).toEqual([
      { kind: 'file', path: 'src/a.ts', raw: '@file:src/a.ts' },
      { kind: 'symbol', name: 'Foo.bar', raw: '@symbol:Foo.bar' },
      { kind: 'project', raw: '@project' },
    ]);
  });

  it('quoted paths keep spaces; trailing punctuation is not part of a path', () => {
    expect(parseMentions('see @file:"docs/my notes.md" and (@file:lib/x.py).')).toEqual([
      { kind: 'file', path: 'docs/my notes.md', raw: '@file:"docs/my notes.md"' },
      { kind: 'file', path: 'lib/x.py', raw: '@file:lib/x.py' },
    ]);
  });

  it('ignores e-mail-like text, bare @, @projects and unknown kinds', () => {
    expect(parseMentions('me@file:x.ts @ @projects @folder:x @file: @symbol:')).toEqual([]);
  });
});

describe('withContextBlock', () => {
  it('prefixes only the last user message', () => {
    const out = withContextBlock(
      [
        { role: 'system', content: 's' },
        { role: 'user', content: 'old' },
        { role: 'assistant', content: 'a' },
        { role: 'user', content: 'q' },
      ],
      '<project-context>x</project-context>',
    );
    expect(out.map((m) => m.content)).toEqual(['s', 'old', 'a', '<project-context>x</project-context>\n\nq']);
  });

  it('is a no-op for an empty block and a typed error without a user message', () => {
    expect(withContextBlock([{ role: 'user', content: 'q' }], '')).toEqual([{ role: 'user', content: 'q' }]);
    expect(() => withContextBlock([{ role: 'system', content: 's' }], 'b')).toThrow(EvolveError);
  });
});

describe('composer caret helpers', () => {
  it('finds the mention being typed and replaces it with the pick', () => {
    const text = 'look at @file:src/ma now';
    const caret = 'look at @file:src/ma'.length;
    const at = mentionAtCaret(text, caret)!;
    expect(at).toEqual({ start: 8, query: 'file:src/ma' });
    expect(insertMention(text, at, caret, fileMention('src/main.ts'))).toEqual({ text: 'look at @file:src/main.ts now', caret: 26 });
    expect(fileMention('docs/my notes.md')).toBe('@file:"docs/my notes.md"');
    expect(mentionAtCaret('mail me@x', 9)).toBeNull();
    expect(mentionAtCaret('@', 1)).toEqual({ start: 0, query: '' });
    // Every completion parses back as the mention it names.
    expect(parseMentions(`${fileMention('docs/my notes.md')} ${symbolMention('Foo.bar')} @project`).map((m) => m.raw)).toEqual([
      '@file:"docs/my notes.md"',
      '@symbol:Foo.bar',
      '@project',
    ]);
  });
});
