// Loading the codegen eval problems: bad files are typed errors naming the file and the field (never skipped), the
// schema's cross-field rules hold, and the rendered prompt shows examples and support files but no hidden tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { loadProblems, parseProblemFile } from '../../../eval/codegen/load';
import { exampleTestSource, renderPrompt } from '../../../eval/codegen/prompt';
import { examplesInPromptSuite, generateInputFor } from '../../../eval/codegen/run/problem-input';
import { CodegenProblemSchema } from '../../../eval/codegen/schema';

const VALID = {
  id: 'py-double',
  lang: 'python',
  type: 'function',
  difficulty: 'easy',
  title: 'Double a number',
  prompt: 'Write `double(x: int) -> int` returning twice x.\n',
  entryPoint: 'double',
  exports: ['double'],
  files: {},
  examples: ['assert double(2) == 4'],
  hiddenTests: 'from solution import double\n\n\ndef test_negative():\n    assert double(-3) == -6\n',
  reference: 'def double(x):\n    return 2 * x\n',
};

function expectError(fn: () => unknown, code: string, ...fragments: string[]): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EvolveError);
    expect((err as EvolveError).code).toBe(code);
    for (const f of fragments) expect((err as EvolveError).message).toContain(f);
    return;
  }
  throw new Error('expected an error');
}

describe('codegen problem loading', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evolve-problems-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  it('loads the project set and a valid file', () => {
    expect(loadProblems().length).toBeGreaterThanOrEqual(60);
    write('py-double.json', VALID);
    expect(loadProblems(dir).map((p) => p.id)).toEqual(['py-double']);
  });

  it('names the file for unreadable JSON, a schema error and a wrong file name', () => {
    expectError(() => parseProblemFile(write('broken.json', '{ "id": ')), 'INVALID_ARGUMENT', 'broken.json', 'not readable JSON');
    const { hiddenTests: _omit, ...noHidden } = VALID;
    expectError(() => parseProblemFile(write('py-double.json', noHidden)), 'INVALID_ARGUMENT', 'py-double.json', 'hiddenTests');
    expectError(() => parseProblemFile(write('other.json', VALID)), 'INVALID_ARGUMENT', 'file name must be py-double.json');
    // One bad file fails the whole load instead of being skipped.
    mkdirSync(path.join(dir, 'set'));
    write('set/py-double.json', VALID);
    write('set/zz.json', '[]');
    expectError(() => loadProblems(path.join(dir, 'set')), 'INVALID_ARGUMENT', 'zz.json');
  });

  it('reports a missing or empty folder as NOT_FOUND', () => {
    expectError(() => loadProblems(path.join(dir, 'nope')), 'NOT_FOUND');
    mkdirSync(path.join(dir, 'empty'));
    expectError(() => loadProblems(path.join(dir, 'empty')), 'NOT_FOUND', 'no problems');
  });

  it('enforces the cross-field rules', () => {
    const bad = (patch: Record<string, unknown>): string[] => {
      const r = CodegenProblemSchema.safeParse({ ...VALID, ...patch });
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(bad({})).toEqual([]);
    expect(bad({ lang: 'typescript' }).join()).toContain('does not match lang');
    expect(bad({ exports: ['other'] }).join()).toContain('exports must include entryPoint');
    expect(bad({ type: 'edit' }).join()).toContain('original is required');
    expect(bad({ original: 'x = 1\n' }).join()).toContain('original is required');
    expect(bad({ type: 'test' }).join()).toContain('test problems have no examples');
    expect(bad({ examples: [] }).join()).toContain('at least one example');
    expect(bad({ files: { 'helper.ts': '' } }).join()).toContain('is not .py');
    expect(bad({ files: { '../evil.py': '' } })).not.toEqual([]);
    expect(bad({ files: { 'solution.py': '' } }).join()).toContain('is reserved');
    expect(bad({ files: { 'test_helper.py': '' } }).join()).toContain('is reserved');
    expect(bad({ id: 'py_Bad' })).not.toEqual([]);
    expect(bad({ surprise: true })).not.toEqual([]);
    expect(bad({ entryPoint: 'not valid' })).not.toEqual([]);
  });

  it('renders examples, support files and the original into the prompt, never the hidden tests', () => {
    const p = CodegenProblemSchema.parse({
      ...VALID,
      type: 'edit',
      original: 'def double(x):\n    return x\n',
      files: { 'helper.py': 'K = 2\n' },
    });
    const prompt = renderPrompt(p);
    expect(prompt).toContain('assert double(2) == 4');
    expect(prompt).toContain('File `helper.py`');
    expect(prompt).toContain('Current content of `solution.py`');
    expect(prompt).not.toContain('double(-3)');
    expect(exampleTestSource(p)).toBe('from solution import double\n\n\ndef test_example_1():\n    assert double(2) == 4\n');
  });

  it('passes the examples as a suite only when the engine would not find them in the prompt', () => {
    const p = CodegenProblemSchema.parse(VALID);
    const settings = { samples: 1, maxRounds: 0, seed: 1 };
    // The rendered prompt shows the examples in a fenced block the engine's docstring suite runs: no second copy.
    expect(examplesInPromptSuite(p, renderPrompt(p))).toBe(true);
    expect(generateInputFor(p, settings).extraSuites).toBeUndefined();
    // A prompt without them (or an example the extraction misses) gets the examples file.
    expect(examplesInPromptSuite(p, p.prompt)).toBe(false);
    expect(
      examplesInPromptSuite(
        CodegenProblemSchema.parse({ ...VALID, examples: ['assert double(2) == 4', 'assert double(0) == 0'] }),
        renderPrompt(p),
      ),
    ).toBe(false);
    const hidden = CodegenProblemSchema.parse({ ...VALID, examples: ['assert double(5) == 10'] });
    expect(examplesInPromptSuite(hidden, renderPrompt(p))).toBe(false);
  });
});
