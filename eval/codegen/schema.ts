// Schema of one codegen eval problem (eval/codegen/problems/<id>.json): what the model sees and what only grades it.
import { z } from 'zod';

export const PROBLEM_LANGUAGES = ['python', 'typescript'] as const;
export const PROBLEM_TYPES = ['function', 'class', 'module', 'test', 'edit', 'api-endpoint', 'db-model', 'component'] as const;
export const PROBLEM_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

export type ProblemLanguage = (typeof PROBLEM_LANGUAGES)[number];
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** The file the candidate's answer is written to; tests import it as `solution` (Python) or `./solution.js` (TypeScript). */
export const SOLUTION_FILE: Record<ProblemLanguage, string> = { python: 'solution.py', typescript: 'solution.ts' };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Support files sit next to the solution: a plain file name, never the solution itself or something a test runner collects.
const SUPPORT_FILE = /^[a-z][a-z0-9_]*\.(py|ts)$/;

export const CodegenProblemSchema = z
  .object({
    /** Stable id, also the file name: `py-…` for Python, `ts-…` for TypeScript. */
    id: z.string().regex(/^(py|ts)-[a-z0-9]+(-[a-z0-9]+)*$/, 'id: py-/ts- then kebab-case'),
    lang: z.enum(PROBLEM_LANGUAGES),
    type: z.enum(PROBLEM_TYPES),
    difficulty: z.enum(PROBLEM_DIFFICULTIES),
    title: z.string().min(3).max(80),
    /** The task as the model reads it. A signature + docstring here must be kept exactly by the answer. */
    prompt: z.string().min(20),
    /** The main name the answer must define (function, class or, for `test` problems, the function under test). */
    entryPoint: z.string().regex(IDENTIFIER),
    /** Every name the tests import from the solution (includes entryPoint unless type is `test`). */
    exports: z.array(z.string().regex(IDENTIFIER)).min(1),
    /** Files shown to the model and written next to the solution in every run (modules it imports, code under test). */
    files: z.record(z.string().regex(SUPPORT_FILE), z.string()).default({}),
    /** `edit` problems: the current content of the solution file, shown to the model, which returns the changed file. */
    original: z.string().min(1).optional(),
    /** Visible checks, shown in the prompt: Python `assert …` statements / TypeScript `assert.…` statements (await allowed). */
    examples: z.array(z.string().min(1)),
    /** pytest / `node --test` source that imports the solution; never shown to the model, it only grades the final answer. */
    hiddenTests: z.string().min(20),
    /** A correct answer, never shown to the model; it must pass the examples and the hidden tests. */
    reference: z.string().min(10),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (message: string, path: string): void => {
      ctx.addIssue({ code: 'custom', message, path: [path] });
    };
    if (!p.id.startsWith(p.lang === 'python' ? 'py-' : 'ts-')) issue(`id ${p.id} does not match lang ${p.lang}`, 'id');
    if (p.type !== 'test' && !p.exports.includes(p.entryPoint)) issue('exports must include entryPoint', 'exports');
    if (new Set(p.exports).size !== p.exports.length) issue('exports has duplicates', 'exports');
    if ((p.type === 'edit') !== (p.original !== undefined)) issue('original is required for edit problems and only for them', 'original');
    if (p.type === 'test') {
      if (p.examples.length > 0) issue('test problems have no examples (their visible check is the candidate tests passing)', 'examples');
      if (Object.keys(p.files).length === 0) issue('test problems need the code under test in files', 'files');
    } else if (p.examples.length === 0) issue('at least one example', 'examples');
    const ext = p.lang === 'python' ? '.py' : '.ts';
    for (const name of Object.keys(p.files)) {
      if (!name.endsWith(ext)) issue(`support file ${name} is not ${ext}`, 'files');
      // It must not replace the answer, nor be collected as a test file by pytest / node --test.
      if (name === SOLUTION_FILE[p.lang] || name.startsWith('test_') || name.endsWith('.test.ts'))
        issue(`support file name ${name} is reserved`, 'files');
    }
  });

export type CodegenProblem = z.infer<typeof CodegenProblemSchema>;
