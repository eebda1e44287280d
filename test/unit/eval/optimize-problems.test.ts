// Validates the performance lab's eval corpus (eval/optimize/problems): every meta.json and folder, the TypeScript
// under strict type-checking, and — in the real sandbox with pytest / node --test, as candidates are tested — the
// project's tests and a generated equivalence suite passing on module, reference and slower, and failing on wrong.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { runTests, testEnvironment, type TestRun } from '../../../main/services/codegen/tests';
import {
  CORPUS_FILES,
  OptimizeCategorySchema,
  codeVersion,
  inputGenerator,
  loadOptimizeProblem,
  loadOptimizeProblems,
  VARIANTS,
} from '../../../eval/optimize/corpus';
import { EQUIVALENCE_SEEDS, equivalenceSuite, validationBatch } from '../../../eval/optimize/validate';

const problems = loadOptimizeProblems();
const byLanguage = (l: 'python' | 'typescript') => problems.filter((p) => p.meta.language === l);

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempProblem(id: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-optimize-corpus-'));
  scratch.push(root);
  const dir = path.join(root, id);
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('optimize corpus: shape', () => {
  it('has ≥ 14 problems, ≥ 7 per language, ≥ 4 wrong and ≥ 2 slower variants, and covers the categories the issue names', () => {
    expect(problems.length).toBeGreaterThanOrEqual(14);
    expect(byLanguage('python').length).toBeGreaterThanOrEqual(7);
    expect(byLanguage('typescript').length).toBeGreaterThanOrEqual(7);
    expect(problems.filter((p) => p.variants.wrong).length).toBeGreaterThanOrEqual(4);
    expect(problems.filter((p) => p.variants.slower).length).toBeGreaterThanOrEqual(2);
    const categories = new Set(problems.map((p) => p.meta.category));
    for (const c of ['quadratic-loop', 'repeated-io', 'missing-memoisation', 'string-concatenation', 'n-plus-one-queries'] as const) {
      expect(categories, c).toContain(c);
    }
    expect(OptimizeCategorySchema.options.every((c) => categories.has(c))).toBe(true);
  });

  it('every problem becomes the lab’s CodeVersion and InputGenerator, and its tests import from the module', () => {
    for (const p of problems) {
      const v = codeVersion(p, 'module');
      expect(v.files[p.meta.module]).toBe(p.variants.module);
      expect(codeVersion(p, 'reference').files[p.meta.module]).toBe(p.variants.reference);
      expect(inputGenerator(p).sizes).toEqual(p.meta.sizes);
      const tests = Object.values(p.tests).join('\n');
      expect(tests, p.meta.id).toMatch(p.meta.language === 'python' ? /^from module import /m : /from '\.\/module'/);
      expect(p.inputs, p.meta.id).toMatch(
        p.meta.language === 'python' ? /^def make_input\(n, seed\)/m : /export function makeInput\(n: number, seed: number\)/,
      );
      // The function is defined in every variant under the same name.
      const name = p.meta.function.split('.').pop()!;
      for (const [variant, source] of Object.entries(p.variants)) {
        expect(source, `${p.meta.id}/${variant}`).toMatch(
          p.meta.language === 'python' ? new RegExp(`^def ${name}\\(`, 'm') : new RegExp(`^export function ${name}\\(`, 'm'),
        );
      }
      expect(p.meta.measured.slowSec / Math.max(p.meta.measured.referenceSec, 1e-4), p.meta.id).toBeGreaterThanOrEqual(3);
    }
    expect(() =>
      codeVersion(
        problems.find((p) => !p.variants.wrong)!,
        'wrong',
      ),
    ).toThrow(EvolveError);
  });

  it('rejects a bad folder with a typed error naming it: broken JSON, a bad field, a missing file, a stray code file', () => {
    const meta = {
      id: 'py-demo',
      language: 'python',
      module: 'module.py',
      function: 'f',
      category: 'quadratic-loop',
      sizes: [1, 2, 3],
      note: 'a note that is long enough to pass',
      measured: { n: 3, slowSec: 1, referenceSec: 0.1 },
    };
    const good = {
      'meta.json': JSON.stringify(meta),
      'module.py': 'def f(x):\n    return x\n',
      'reference.py': 'def f(x):\n    return x\n',
      'inputs.py': 'def make_input(n, seed):\n    return (n,)\n',
      'test_module.py': 'from module import f\n',
    };
    const demo = tempProblem('py-demo', good);
    // Caches a tool run leaves in a folder are not part of the problem.
    fs.mkdirSync(path.join(demo, '__pycache__'));
    fs.mkdirSync(path.join(demo, '.pytest_cache'));
    expect(loadOptimizeProblem(demo).support).toEqual({});
    fs.mkdirSync(path.join(path.dirname(demo), '.ruff_cache'));
    expect(loadOptimizeProblems(path.dirname(demo)).map((p) => p.meta.id)).toEqual(['py-demo']);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...good, 'meta.json': '{ nope' }, /py-demo: meta.json is not readable JSON/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, sizes: [3, 2, 1] }) }, /sizes: sizes must ascend/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, sizes: [1, 2] }) }, /sizes/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, module: 'module.ts' }) }, /module must be module.py/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, category: 'vibes' }) }, /category/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, extra: 1 }) }, /Unrecognized key/],
      [{ ...good, 'meta.json': JSON.stringify({ ...meta, measured: { ...meta.measured, n: 2 } }) }, /measured.n must be the largest size/],
      [{ ...good, 'reference.py': undefined as unknown as string }, /py-demo: missing reference.py/],
      [{ ...good, 'helper.py': 'x = 1\n' }, /unexpected code file helper.py/],
    ];
    for (const [files, message] of cases) {
      const defined = Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined));
      let caught: unknown;
      try {
        loadOptimizeProblem(tempProblem('py-demo', defined));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(EvolveError);
      expect((caught as EvolveError).code).toBe('INVALID_ARGUMENT');
      expect((caught as EvolveError).message).toMatch(message);
    }
    expect(() => loadOptimizeProblem(tempProblem('py-other', good))).toThrow(/folder must be named after its id py-demo/);
    expect(() => loadOptimizeProblems(path.join(os.tmpdir(), 'evolve-no-such-corpus'))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('all TypeScript of the corpus type-checks under strict settings', () => {
    const files = byLanguage('typescript').flatMap((p) =>
      fs
        .readdirSync(p.dir)
        .filter((n) => n.endsWith('.ts'))
        .map((n) => path.join(p.dir, n)),
    );
    expect(files.length).toBeGreaterThanOrEqual(7 * 4);
    const program = ts.createProgram(files, {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      skipLibCheck: true,
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) => `${d.file ? path.relative(process.cwd(), d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(errors).toEqual([]);
  });

  it('the generated suite compares against the baseline on the smallest size', () => {
    for (const p of problems) {
      const suite = equivalenceSuite(p);
      expect(suite.path).not.toBe(CORPUS_FILES[p.meta.language].tests);
      expect(suite.content).toContain(`SIZE = ${p.meta.sizes[0]}`);
    }
  });
});

// ------------------------------------------------------------------------------------- sandboxed runs of the tests

const [pyEnv, tsEnv] = await Promise.all([testEnvironment('python'), testEnvironment('typescript')]);

/**
 * One sandboxed run per language holds every variant of every problem (validationBatch), started once and shared by
 * the per-problem tests below: a process start per variant cost more than all the tests on a loaded 2-core machine.
 */
const batches = new Map<'python' | 'typescript', Promise<{ run: TestRun; batch: ReturnType<typeof validationBatch> }>>();
function batchFor(language: 'python' | 'typescript') {
  let b = batches.get(language);
  if (!b) {
    const batch = validationBatch(problems, language);
    // Generous wall: the slow modules run on their smallest size only, but the machine may be loaded.
    b = runTests({ ...batch.input, limits: { wallMs: 240_000 } }).then((run) => ({ run, batch }));
    batches.set(language, b);
  }
  return b;
}

// Started now, so both languages run side by side (and alongside the shape tests above); a rejection surfaces in the
// tests that await it.
for (const [language, env] of [
  ['python', pyEnv],
  ['typescript', tsEnv],
] as const) {
  if (env.available) batchFor(language).catch(() => undefined);
}

function summary(cases: TestRun['cases'], run: TestRun): string {
  const failed = cases.filter((c) => !c.passed).map((c) => `${c.id}: ${(c.message ?? '').slice(0, 300)}`);
  return `run ${run.status} (${run.runner}); failed: ${failed.join('\n') || 'none'}`;
}

for (const language of ['python', 'typescript'] as const) {
  const env = language === 'python' ? pyEnv : tsEnv;
  describe.skipIf(!env.available).concurrent(`optimize corpus: ${language} problems in the sandbox (${env.reason ?? env.runner})`, () => {
    it('every case of the batch belongs to a variant folder, and the run finished', async () => {
      const { run, batch } = await batchFor(language);
      expect(run.status, summary(run.cases, run)).toMatch(/^(passed|failed)$/);
      expect(run.cases.filter((c) => !batch.entryOf(c.id)).map((c) => c.id)).toEqual([]);
      expect(new Set(run.cases.map((c) => batch.entryOf(c.id)!.dir))).toEqual(new Set(batch.entries.map((e) => e.dir)));
    }, 300_000);

    for (const p of byLanguage(language)) {
      const variants = VARIANTS.filter((v) => p.variants[v] !== undefined);
      it(`${p.meta.id}: tests and equivalence pass on ${variants.filter((v) => v !== 'wrong').join(', ')}${p.variants.wrong ? '; wrong is caught' : ''}`, async () => {
        const { run, batch } = await batchFor(language);
        const testCount = (Object.values(p.tests)[0]!.match(language === 'python' ? /^def test_/gm : /^test\(/gm) ?? []).length;
        expect(testCount).toBeGreaterThanOrEqual(3);
        for (const variant of variants) {
          const cases = run.cases.filter((c) => {
            const e = batch.entryOf(c.id);
            return e?.problem === p && e.variant === variant;
          });
          const why = `${p.meta.id}/${variant}: ${summary(cases, run)}`;
          if (variant === 'wrong') {
            // Really wrong: a test or the comparison with the slow module fails — not a load error that proves nothing.
            expect(
              cases.some((c) => !c.passed && c.id.includes('::')),
              why,
            ).toBe(true);
          } else {
            expect(cases.length, why).toBe(testCount + EQUIVALENCE_SEEDS.length + 1);
            expect(
              cases.every((c) => c.passed),
              why,
            ).toBe(true);
          }
        }
      }, 300_000);
    }
  });
}
