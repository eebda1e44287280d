// Loads the performance lab's eval corpus (eval/optimize/problems/<id>/): validated meta.json plus the slow module,
// its input generator, its tests, the hidden reference and the optional wrong/slower variants, as the lab's own types.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../common/errors';
import { CodeVersionSchema, InputGeneratorSchema, type CodeVersion, type InputGenerator } from '../../common/perf/types';

export const OPTIMIZE_PROBLEMS_DIR = path.join(import.meta.dirname, 'problems');

/** What makes the slow version slow (the README's table explains each). */
export const OptimizeCategorySchema = z.enum([
  'quadratic-loop',
  'repeated-io',
  'missing-memoisation',
  'string-concatenation',
  'n-plus-one-queries',
  'sort-in-loop',
  'queue-pop-front',
  'json-round-trip-copy',
  'array-splice-in-loop',
]);
export type OptimizeCategory = z.infer<typeof OptimizeCategorySchema>;

/** The languages of the corpus and the fixed file names each folder uses for them. */
export const CORPUS_FILES = {
  python: { module: 'module.py', inputs: 'inputs.py', tests: 'test_module.py', ext: 'py' },
  typescript: { module: 'module.ts', inputs: 'inputs.ts', tests: 'module.test.ts', ext: 'ts' },
} as const;

export const OptimizeMetaSchema = z
  .object({
    id: z.string().regex(/^(py|ts)-[a-z0-9]+(-[a-z0-9]+)*$/, 'py-… or ts-…, lower-case words joined by dashes'),
    language: z.enum(['python', 'typescript']),
    module: z.enum(['module.py', 'module.ts']),
    function: CodeVersionSchema.shape.function,
    category: OptimizeCategorySchema,
    /** Input sizes for the benchmark, ascending; the smallest is also what the validator compares outputs on. */
    sizes: InputGeneratorSchema.shape.sizes.refine((s) => s.every((n, i) => i === 0 || n > s[i - 1]!), 'sizes must ascend'),
    note: z.string().min(20).max(240),
    /** One timing taken when the problem was written (under load, on a shared 2-core machine): documentation only. */
    measured: z.object({ n: z.number().int().positive(), slowSec: z.number().positive(), referenceSec: z.number().nonnegative() }).strict(),
  })
  .strict()
  .refine((m) => m.module === CORPUS_FILES[m.language].module, { message: 'module must be module.py (python) / module.ts (typescript)' })
  .refine((m) => m.id.startsWith(m.language === 'python' ? 'py-' : 'ts-'), { message: 'id prefix must match the language' })
  .refine((m) => m.measured.n === m.sizes[m.sizes.length - 1], { message: 'measured.n must be the largest size' });
export type OptimizeMeta = z.infer<typeof OptimizeMetaSchema>;

/** The versions of the function a folder may hold; module is the slow original, reference the hidden fast one. */
export const VARIANTS = ['module', 'reference', 'wrong', 'slower'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface OptimizeProblem {
  dir: string;
  meta: OptimizeMeta;
  /** Source of each variant present (module and reference always). */
  variants: Partial<Record<Variant, string>> & { module: string; reference: string };
  /** Source of inputs.py / inputs.ts. */
  inputs: string;
  /** The project's tests of the function, by file name (test_module.py / module.test.ts). */
  tests: Record<string, string>;
  /** Other files the tests or the code read (e.g. schema.sql), by file name. */
  support: Record<string, string>;
}

/** Caches that running pytest, ruff or node in a folder leaves behind (.pytest_cache, __pycache__, .ruff_cache). */
const ignored = (name: string): boolean => name.startsWith('.') || name === '__pycache__';

function invalid(dir: string, message: string, details?: unknown): never {
  throw new EvolveError('INVALID_ARGUMENT', `${path.basename(dir)}: ${message}`, details);
}

/** One problem folder; INVALID_ARGUMENT naming the folder when meta.json or a required file is wrong or missing. */
export function loadOptimizeProblem(dir: string): OptimizeProblem {
  const metaPath = path.join(dir, 'meta.json');
  if (!existsSync(metaPath)) invalid(dir, 'no meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (err) {
    invalid(dir, `meta.json is not readable JSON (${(err as Error).message})`);
  }
  const parsed = OptimizeMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    invalid(dir, `meta.json is not valid — ${issues.join('; ')}`, { issues });
  }
  const meta = parsed.data;
  if (path.basename(dir) !== meta.id) invalid(dir, `folder must be named after its id ${meta.id}`);
  const names = CORPUS_FILES[meta.language];
  const read = (name: string): string | undefined => {
    const p = path.join(dir, name);
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  };
  const required = (name: string): string => read(name) ?? invalid(dir, `missing ${name}`);
  const variants: OptimizeProblem['variants'] = {
    module: required(names.module),
    reference: required(`reference.${names.ext}`),
  };
  for (const v of ['wrong', 'slower'] as const) {
    const source = read(`${v}.${names.ext}`);
    if (source !== undefined) variants[v] = source;
  }
  const known = new Set<string>(['meta.json', names.inputs, names.tests, ...VARIANTS.map((v) => `${v}.${names.ext}`)]);
  const support: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (known.has(name) || ignored(name)) continue;
    if (!statSync(path.join(dir, name)).isFile()) invalid(dir, `unexpected folder ${name}`);
    if (/\.(py|ts|js|mjs|cjs)$/.test(name)) invalid(dir, `unexpected code file ${name} (variants are ${VARIANTS.join(', ')})`);
    support[name] = readFileSync(path.join(dir, name), 'utf8');
  }
  return { dir, meta, variants, inputs: required(names.inputs), tests: { [names.tests]: required(names.tests) }, support };
}

/** Every problem under `root`, sorted by id. NOT_FOUND for a missing or empty folder. */
export function loadOptimizeProblems(root: string = OPTIMIZE_PROBLEMS_DIR): OptimizeProblem[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => !ignored(n) && statSync(path.join(root, n)).isDirectory());
  } catch {
    throw new EvolveError('NOT_FOUND', `no problem folder at ${root}`);
  }
  if (names.length === 0) throw new EvolveError('NOT_FOUND', `no problems in ${root}`);
  return names.sort().map((n) => loadOptimizeProblem(path.join(root, n)));
}

/** A variant as the lab's CodeVersion: the variant's source written as the module, with the support files beside it. */
export function codeVersion(problem: OptimizeProblem, variant: Variant): CodeVersion {
  const source = problem.variants[variant];
  if (source === undefined) throw new EvolveError('NOT_FOUND', `${problem.meta.id} has no ${variant} version`);
  return CodeVersionSchema.parse({
    language: problem.meta.language,
    files: { ...problem.support, [problem.meta.module]: source },
    module: problem.meta.module,
    function: problem.meta.function,
  });
}

/** The problem's input generator with its sizes, as the benchmark and equivalence checks take it. */
export function inputGenerator(problem: OptimizeProblem): InputGenerator {
  return InputGeneratorSchema.parse({ source: problem.inputs, sizes: problem.meta.sizes });
}
