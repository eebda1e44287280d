// extractCode on real-world answer shapes (fences, prose, several blocks, aliases, lists) and answers with no code.
import { describe, expect, it } from 'vitest';
import { extractCode, dedent } from '../../../../main/services/codegen/edits';
import { isEvolveError } from '../../../../common/errors';

const F = '```';

describe('extractCode', () => {
  it('takes the fenced block and drops the prose before and after', () => {
    const a = `Here is the function you asked for:\n\n${F}python\ndef add(a, b):\n    return a + b\n${F}\n\nThis adds two numbers.`;
    expect(extractCode(a, 'python')).toEqual({ code: 'def add(a, b):\n    return a + b\n', how: 'fenced', candidates: 1 });
  });

  it('accepts ```py, ```python3 and an info string with a path', () => {
    for (const tag of ['py', 'python3', 'python title="x.py"', 'py:src/x.py']) {
      expect(extractCode(`${F}${tag}\nx = 1\n${F}`, 'python').code).toBe('x = 1\n');
    }
  });

  it('prefers the block of the asked language over a shell block and another language', () => {
    const a = `${F}bash\npip install requests\n${F}\n${F}js\nconst x = 1;\n${F}\n${F}python\nimport requests\n${F}`;
    expect(extractCode(a, 'python').code).toBe('import requests\n');
    expect(extractCode(a, 'javascript').code).toBe('const x = 1;\n');
  });

  it('among blocks of the language, a definition beats a longer usage example', () => {
    const usage = `${F}python\nprint(add(1, 2))\nprint(add(3, 4))\nprint(add(5, 6))\nprint(add(7, 8))\n${F}`;
    const a = `${F}python\ndef add(a, b):\n    return a + b\n${F}\nUsage:\n${usage}`;
    expect(extractCode(a, 'python').code).toBe('def add(a, b):\n    return a + b\n');
    expect(extractCode(a, 'python').candidates).toBe(2);
  });

  it('among equals takes the longest block', () => {
    const a = `${F}ts\nfunction f() {}\n${F}\n${F}ts\nfunction g(x: number): number {\n  return x * 2;\n}\n${F}`;
    expect(extractCode(a, 'typescript').code).toBe('function g(x: number): number {\n  return x * 2;\n}\n');
  });

  it('handles a missing closing fence (the answer was cut) and a doubled opening fence', () => {
    expect(extractCode(`Sure.\n${F}python\ndef f():\n    return 1\n`, 'python')).toMatchObject({
      code: 'def f():\n    return 1\n',
      how: 'unclosed-fence',
    });
    expect(extractCode(`${F}python\n${F}python\ndef f():\n    pass\n${F}\n${F}`, 'python').code).toBe('def f():\n    pass\n');
  });

  it('unindents a block inside a markdown list item, keeping relative indentation', () => {
    const a = `1. Write the function:\n\n   ${F}python\n   def f(x):\n       return x\n   ${F}\n2. Done.`;
    expect(extractCode(a, 'python').code).toBe('def f(x):\n    return x\n');
  });

  it('an interactive session (```pycon) is not the code', () => {
    const a = `${F}python\ndef sq(x):\n    return x * x\n${F}\n${F}pycon\n>>> sq(3)\n9\n>>> sq(4)\n16\n>>> sq(5)\n25\n${F}`;
    expect(extractCode(a, 'python').code).toBe('def sq(x):\n    return x * x\n');
  });

  it('untagged blocks are used when they look like the language', () => {
    expect(extractCode(`${F}\ndef f():\n    return 2\n${F}`, 'python').code).toBe('def f():\n    return 2\n');
  });

  it('finds bare code between prose lines when there are no fences', () => {
    const a = 'Here is the code:\n\ndef f(x):\n    """Double x."""\n    return 2 * x\n\nThis function doubles its input.\n';
    expect(extractCode(a, 'python')).toEqual({ code: 'def f(x):\n    """Double x."""\n    return 2 * x\n', how: 'bare', candidates: 1 });
    const t = 'The solution:\nexport function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\nIt uses reduce.';
    expect(extractCode(t, 'typescript').code).toBe(
      'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n',
    );
  });

  it('keeps CRLF answers and unicode intact (as LF text)', () => {
    expect(extractCode(`${F}python\r\ns = "héllo — 世界"\r\n${F}\r\n`, 'python').code).toBe('s = "héllo — 世界"\n');
  });

  it('an answer without code is a typed INVALID_ARGUMENT naming what it had', () => {
    const cases: [string, RegExp][] = [
      ['', /nothing/],
      ['I cannot help with that request, sorry.', /no python code/],
      [`${F}bash\nls -la\n${F}`, /code blocks are: bash/],
    ];
    for (const [a, msg] of cases) {
      try {
        extractCode(a, 'python');
        expect.unreachable();
      } catch (e) {
        expect(isEvolveError(e) && e.code).toBe('INVALID_ARGUMENT');
        expect((e as Error).message).toMatch(msg);
      }
    }
  });

  it('an unknown language is refused by its schema', () => {
    expect(() => extractCode('x', 'cobol' as never)).toThrow();
  });

  it('dedent removes only the shared indentation', () => {
    expect(dedent('    a\n      b\n\n    c')).toBe('a\n  b\n\nc');
  });
});
