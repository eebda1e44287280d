// Where a looping answer is cut: after the first copy of the repeated block, never in code that merely looks alike.
import { describe, expect, it } from 'vitest';
import { repetitionCut } from '../../../../main/services/codegen/engine/repetition';

describe('repetitionCut', () => {
  it('cuts a line repeated six times after its first copy (the recorded 1.5B test-writing loop)', () => {
    const head = '```python\nfrom ranges import clamp\n\ndef test_clamp():\n    assert clamp(10, 5, 15) == 10\n';
    const loop = '    assert clamp(15, 10, 15) == 15\n';
    expect(repetitionCut(head + loop.repeat(5))).toBeUndefined();
    const text = head + loop.repeat(6) + '    assert cl';
    expect(text.slice(0, repetitionCut(text))).toBe(head + loop);
  });

  it('cuts a repeated block of two to four lines after four copies', () => {
    const block = "test('slug', () => {\n  assert.equal(slugify('A B'), 'a-b');\n});\n";
    expect(repetitionCut(`x\n${block.repeat(3)}`)).toBeUndefined();
    const text = `x\n${block.repeat(4)}`;
    expect(text.slice(0, repetitionCut(text))).toBe(`x\n${block}`);
  });

  it('leaves real code alone: short repeated lines, lines that differ, and a tail that stops repeating', () => {
    expect(repetitionCut('def f():\n' + '    pass\n'.repeat(10))).toBeUndefined();
    expect(repetitionCut('}\n'.repeat(12))).toBeUndefined();
    const distinct = Array.from({ length: 12 }, (_, i) => `    assert clamp(${i}, 0, 20) == ${i}\n`).join('');
    expect(repetitionCut(distinct)).toBeUndefined();
    expect(repetitionCut('    assert f(1) == 1\n'.repeat(6) + '    assert f(2) == 2\n')).toBeUndefined();
    expect(repetitionCut('no newline yet')).toBeUndefined();
  });
});
