// The code under study from a project folder: `FILE:FUNCTION` resolved inside the root, the project's sources of
// that language (so the module's imports resolve in the sandbox) and the project's tests of that module.
import path from 'node:path';
import type { CodeFile } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import type { CodeVersion, PerfLanguage } from '../../../../common/perf/types';
import { isTestFile, projectSources, readProjectFile, userTestsFor } from '../../codegen/engine/project-files';

const LANGUAGE_BY_EXT: Record<string, PerfLanguage> = {
  '.py': 'python',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
};

export interface ParsedTarget {
  file: string;
  function: string;
}

/** `src/util.py:dedupe` or `lib/stack.ts:Stack.push` → file + function; a bad form is INVALID_ARGUMENT. */
export function parseTarget(target: string): ParsedTarget {
  const at = target.lastIndexOf(':');
  const file = at > 0 ? target.slice(0, at) : '';
  const fn = at > 0 ? target.slice(at + 1) : '';
  if (!file || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/.test(fn)) {
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `--target must be FILE:FUNCTION (e.g. src/util.py:dedupe or lib/stack.ts:Stack.push), got ${JSON.stringify(target)}`,
    );
  }
  return { file: file.replace(/\\/g, '/').replace(/^\.\//, ''), function: fn };
}

export function languageOf(file: string): PerfLanguage {
  const lang = LANGUAGE_BY_EXT[path.posix.extname(file).toLowerCase()];
  if (!lang)
    throw new EvolveError('INVALID_ARGUMENT', `The performance lab handles Python, TypeScript and JavaScript; ${file} is none of them`);
  return lang;
}

export interface ProjectTarget {
  before: CodeVersion;
  /** The project's tests of the module (by name or import), run by the engine and by the equivalence proof. */
  tests: CodeFile[];
}

/** Reads the target from the project; a missing file or a function it does not define is a clear error. */
export async function targetFromProject(root: string, target: string): Promise<ProjectTarget> {
  const t = parseTarget(target);
  const language = languageOf(t.file);
  const text = await readProjectFile(root, t.file);
  if (text === undefined) throw new EvolveError('NOT_FOUND', `${t.file} does not exist in ${root}`);
  const simple = t.function.split('.').pop() ?? t.function;
  if (!new RegExp(`\\b${simple.replace(/\$/g, '\\$')}\\b`).test(text)) {
    throw new EvolveError('NOT_FOUND', `${t.file} does not define ${t.function}`);
  }
  const sources = await projectSources(root, language);
  const files: Record<string, string> = {};
  for (const f of sources) if (!isTestFile(f.path)) files[f.path] = f.content;
  files[t.file] = text;
  return { before: { language, files, module: t.file, function: t.function }, tests: userTestsFor(sources, t.file) };
}
