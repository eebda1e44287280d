// FIM-format prompts (as Continue renders them for Qwen) are recognised and split; anything else is plain text.
import { describe, expect, it } from 'vitest';
import { parseFimPrompt } from '../../../main/services/openai-server/fim-prompt';

describe('parseFimPrompt', () => {
  it('splits a PSM prompt into prefix and suffix', () => {
    expect(parseFimPrompt('<|fim_prefix|>def f():\n    <|fim_suffix|>\nprint(f())<|fim_middle|>')).toEqual({
      prefix: 'def f():\n    ',
      suffix: '\nprint(f())',
      extra: [],
    });
  });

  it('reads repo-level context files and the repo name', () => {
    const p =
      '<|repo_name|>demo\n<|file_sep|>utils.py\ndef sq(x):\n    return x * x\n<|file_sep|>main.py\n<|fim_prefix|>print(sq(<|fim_suffix|>))<|fim_middle|>';
    expect(parseFimPrompt(p)).toEqual({
      prefix: 'print(sq(',
      suffix: '))',
      repoName: 'demo',
      extra: [{ path: 'utils.py', text: 'def sq(x):\n    return x * x\n' }],
    });
  });

  it('returns null for plain text, wrong order, or text after the middle token', () => {
    expect(parseFimPrompt('def f(): pass')).toBeNull();
    expect(parseFimPrompt('<|fim_suffix|>a<|fim_prefix|>b<|fim_middle|>')).toBeNull();
    expect(parseFimPrompt('<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>c')).toBeNull();
    expect(parseFimPrompt('junk<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>')).toBeNull();
  });
});
