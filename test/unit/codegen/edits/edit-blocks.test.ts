// parseEditBlocks grammar (Aider's) and applyEditBlocks matching: exact, whitespace-flexible, ambiguous, no match.
import { describe, expect, it } from 'vitest';
import { applyEditBlocks, parseEditBlocks, stripFilename } from '../../../../main/services/codegen/edits';
import { isEvolveError } from '../../../../common/errors';

const F = '```';
const block = (path: string, search: string, replace: string): string =>
  `${path}\n${F}python\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n${F}\n`;

const app = 'def greet(name):\n    return "Hello " + name\n\n\ndef bye(name):\n    return "Bye " + name\n';

describe('parseEditBlocks', () => {
  it('reads path, SEARCH and REPLACE of several blocks; a block without a path reuses the previous one', () => {
    const a = `I will change two things.\n\n${block('src/app.py', 'a\n', 'b\n')}\n${F}python\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n${F}\n`;
    expect(parseEditBlocks(a)).toEqual([
      { path: 'src/app.py', search: 'a\n', replace: 'b\n', line: 5 },
      { path: 'src/app.py', search: 'c\n', replace: 'd\n', line: 13 },
    ]);
  });

  it('accepts the path decorated (`x`, **x**, #x, x:), in the fence line, and without fences; CRLF answers', () => {
    for (const p of ['`app.py`', '**app.py**', '# app.py', 'app.py:', './app.py'])
      expect(parseEditBlocks(block(p, 'x\n', 'y\n'))[0]!.path).toBe('app.py');
    expect(parseEditBlocks(`${F}python app.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n${F}`)[0]!.path).toBe('app.py');
    expect(parseEditBlocks('app.py\r\n<<<<<<< SEARCH\r\nx\r\n=======\r\ny\r\n>>>>>>> REPLACE\r\n')).toEqual([
      { path: 'app.py', search: 'x\n', replace: 'y\n', line: 2 },
    ]);
  });

  it('empty SEARCH (new file) and empty REPLACE (deletion) are kept as empty strings', () => {
    expect(parseEditBlocks(block('new.py', '', 'x = 1\n'))[0]).toMatchObject({ search: '', replace: 'x = 1\n' });
    expect(parseEditBlocks(block('a.py', 'x = 1\n', ''))[0]).toMatchObject({ search: 'x = 1\n', replace: '' });
  });

  it('a "=======" line inside REPLACE is content, not a marker', () => {
    expect(parseEditBlocks(block('notes.md', 'Title\n', 'Title\n=======\n'))[0]!.replace).toBe('Title\n=======\n');
  });

  it('malformed blocks are INVALID_ARGUMENT with the line and the offending text for the model', () => {
    const cases: [string, RegExp][] = [
      ['app.py\n<<<<<<< SEARCH\nx\n', /expected =======/],
      ['app.py\n<<<<<<< SEARCH\nx\n=======\ny\n', /expected >>>>>>> REPLACE/],
      ['Here is the fix:\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n', /no file path/],
      ['app.py\n<<<<<<< SEARCH\nx\n<<<<<<< SEARCH\n', /expected ======= before this line/],
      ['app.py\nx\n=======\ny\n>>>>>>> REPLACE\n', /without a <<<<<<< SEARCH/],
    ];
    for (const [a, msg] of cases) {
      try {
        parseEditBlocks(a);
        expect.unreachable(a);
      } catch (e) {
        expect(isEvolveError(e) && e.code, a).toBe('INVALID_ARGUMENT');
        expect((e as Error).message).toMatch(msg);
        expect((e as Error).message).toMatch(/line \d+/);
      }
    }
  });

  it('defaultPath names a first block without a path (single-file requests); an explicit path still wins', () => {
    const bare = '```python\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```';
    expect(parseEditBlocks(bare, { defaultPath: './app.py' })[0]!.path).toBe('app.py');
    expect(parseEditBlocks(block('other.py', 'x\n', 'y\n'), { defaultPath: 'app.py' })[0]!.path).toBe('other.py');
    expect(() => parseEditBlocks(bare)).toThrow(/no file path/);
  });

  it('an answer without blocks gives none; prose is never a path', () => {
    expect(parseEditBlocks('No changes are needed.')).toEqual([]);
    expect(stripFilename('Here is the fix:')).toBeUndefined();
    expect(stripFilename('Makefile')).toBe('Makefile');
    expect(stripFilename('```python')).toBeUndefined();
  });
});

describe('applyEditBlocks', () => {
  it('exact match replaces once and leaves the rest', () => {
    const r = applyEditBlocks(
      { 'app.py': app },
      parseEditBlocks(block('app.py', '    return "Hello " + name\n', '    return f"Hello {name}"\n')),
    );
    expect(r.failed).toEqual([]);
    expect(r.applied).toEqual([{ index: 0, path: 'app.py', how: 'exact' }]);
    expect(r.files['app.py']).toBe(app.replace('"Hello " + name', 'f"Hello {name}"'));
    expect(r.feedback).toBeUndefined();
  });

  it('whitespace-flexible: missing indentation and trailing spaces still match, REPLACE is re-indented', () => {
    const r = applyEditBlocks({ 'app.py': app }, [
      { path: 'app.py', search: 'return "Bye " + name   \n', replace: 'return "Goodbye " + name\n', line: 1 },
    ]);
    expect(r.applied[0]!.how).toBe('whitespace');
    expect(r.files['app.py']).toBe(app.replace('"Bye "', '"Goodbye "'));
    // Over-indented alike on both sides (the model copied it from inside a class).
    const r2 = applyEditBlocks({ 'app.py': app }, [
      {
        path: 'app.py',
        search: '    def bye(name):\n        return "Bye " + name\n',
        replace: '    def bye(name):\n        return "Ciao " + name\n',
        line: 1,
      },
    ]);
    expect(r2.files['app.py']).toBe(app.replace('"Bye "', '"Ciao "'));
  });

  it('a spurious leading blank line in SEARCH is tolerated', () => {
    const r = applyEditBlocks({ 'app.py': app }, [
      {
        path: 'app.py',
        search: '\ndef bye(name):\n    return "Bye " + name\n',
        replace: 'def bye(name):\n    return "Ciao " + name\n',
        line: 1,
      },
    ]);
    expect(r.failed).toEqual([]);
  });

  it('no match: nothing changes, the closest lines and a message go back to the model', () => {
    const blocks = [{ path: 'app.py', search: 'def greet(nam):\n    return "Hello" + nam\n', replace: 'x\n', line: 1 }];
    const r = applyEditBlocks({ 'app.py': app }, blocks);
    expect(r.files).toEqual({});
    expect(r.failed).toEqual([{ index: 0, path: 'app.py', reason: 'no-match', didYouMean: expect.stringContaining('def greet(name):') }]);
    expect(r.feedback).toMatch(/1 SEARCH\/REPLACE block failed to match/);
    expect(r.feedback).toMatch(/Did you mean to match some of these actual lines from app.py/);
    expect(r.feedback).toContain('def greet(nam):');
    // Nothing close: no "did you mean", but still a message.
    const far = applyEditBlocks({ 'app.py': app }, [{ path: 'app.py', search: 'class Zebra:\n    stripes = 12\n', replace: '', line: 1 }]);
    expect(far.failed[0]!.didYouMean).toBeUndefined();
  });

  it('ambiguous: a SEARCH that matches twice is refused, with the line numbers', () => {
    const text = 'x = 1\ny = 2\nx = 1\n';
    const r = applyEditBlocks({ 'a.py': text }, [{ path: 'a.py', search: 'x = 1\n', replace: 'x = 3\n', line: 1 }]);
    expect(r.failed).toEqual([{ index: 0, path: 'a.py', reason: 'ambiguous', matchLines: [1, 3] }]);
    expect(r.feedback).toMatch(/matches 2 places in a.py \(lines 1, 3\)/);
    expect(r.files).toEqual({});
  });

  it('reports a REPLACE already in the file; the successful blocks are listed as not to be re-sent', () => {
    const r = applyEditBlocks({ 'app.py': app }, [
      { path: 'app.py', search: 'nothing like this\n', replace: '    return "Bye " + name\n', line: 1 },
      { path: 'app.py', search: 'def bye(name):\n', replace: 'def bye(name: str):\n', line: 9 },
    ]);
    expect(r.failed[0]!.alreadyApplied).toBe(true);
    expect(r.feedback).toMatch(/The REPLACE lines are already in app.py/);
    expect(r.feedback).toMatch(/The other 1 SEARCH\/REPLACE block was applied successfully/);
    expect(r.files['app.py']).toContain('def bye(name: str):');
  });

  it('empty SEARCH creates a new file or appends; a non-empty SEARCH on a missing file fails', () => {
    const r = applyEditBlocks({ 'a.py': 'x = 1' }, [
      { path: 'pkg/new.py', search: '', replace: 'def f():\n    pass\n', line: 1 },
      { path: 'a.py', search: '', replace: 'y = 2\n', line: 2 },
      { path: 'ghost.py', search: 'x\n', replace: 'y\n', line: 3 },
    ]);
    expect(r.files).toEqual({ 'pkg/new.py': 'def f():\n    pass\n', 'a.py': 'x = 1\ny = 2\n' });
    expect(r.applied.map((a) => a.how)).toEqual(['created', 'appended']);
    expect(r.failed).toEqual([{ index: 2, path: 'ghost.py', reason: 'missing-file' }]);
    expect(r.feedback).toMatch(/use an empty SEARCH section/);
  });

  it('later blocks see earlier ones; a path given as a suffix resolves to the one matching file', () => {
    const r = applyEditBlocks({ 'src/pkg/app.py': app }, [
      { path: 'app.py', search: 'def greet(name):\n', replace: 'def greet(name, punct="!"):\n', line: 1 },
      { path: 'pkg/app.py', search: 'def greet(name, punct="!"):\n', replace: 'def greet(name, punct="?"):\n', line: 2 },
    ]);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.files)).toEqual(['src/pkg/app.py']);
    expect(r.files['src/pkg/app.py']).toContain('punct="?"');
  });

  it('a CRLF file with a BOM keeps both; unicode text matches', () => {
    const text = '\uFEFFname = "Zoë"\r\nprint(name)\r\n';
    const r = applyEditBlocks({ 'u.py': text }, [{ path: 'u.py', search: 'name = "Zoë"\n', replace: 'name = "Zoë 😀"\n', line: 1 }]);
    expect(r.files['u.py']).toBe('\uFEFFname = "Zoë 😀"\r\nprint(name)\r\n');
  });

  it('an empty file and a file without a final newline', () => {
    expect(applyEditBlocks({ 'e.py': '' }, [{ path: 'e.py', search: 'x\n', replace: 'y\n', line: 1 }]).failed[0]!.reason).toBe('no-match');
    const r = applyEditBlocks({ 'n.py': 'a\nb' }, [{ path: 'n.py', search: 'b\n', replace: 'c\n', line: 1 }]);
    expect(r.files['n.py']).toBe('a\nc');
  });

  it('SEARCH/REPLACE that elide code with "..." lines apply piece by piece; unpaired or repeated pieces fail', () => {
    const search = 'def greet(name):\n...\ndef bye(name):\n    return "Bye " + name\n';
    const replace = 'def greet(name):\n...\ndef bye(name):\n    return "Ciao " + name\n';
    const r = applyEditBlocks({ 'app.py': app }, [{ path: 'app.py', search, replace, line: 1 }]);
    expect(r.applied).toEqual([{ index: 0, path: 'app.py', how: 'elided' }]);
    expect(r.files['app.py']).toBe(app.replace('"Bye "', '"Ciao "'));
    const unpaired = applyEditBlocks({ 'app.py': app }, [{ path: 'app.py', search, replace: 'def bye(name):\n    pass\n', line: 1 }]);
    expect(unpaired.failed[0]!.reason).toBe('no-match');
    const repeated = applyEditBlocks({ 'a.py': 'x = 1\ny = 2\nx = 1\n' }, [
      { path: 'a.py', search: 'x = 1\n...\ny = 2\n', replace: 'x = 9\n...\ny = 2\n', line: 1 },
    ]);
    expect(repeated.failed[0]!.reason).toBe('no-match');
  });
});
