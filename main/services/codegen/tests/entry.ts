// How generated test files name and import the candidate: Python module path, ES module specifier, test file names.
import path from 'node:path';
import type { Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import type { TestEntry } from './types';

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Checks an entry: a relative file of the language and identifier exports (they are written into test code). */
export function checkEntry(language: Language, entry: TestEntry): void {
  const bad = (why: string): never => {
    throw new EvolveError('INVALID_ARGUMENT', `Test entry ${JSON.stringify(entry.file)}: ${why}`);
  };
  if (!entry.file || entry.file.startsWith('/') || entry.file.split('/').includes('..')) bad('must be a relative path');
  const ext = path.posix.extname(entry.file);
  if (language === 'python' && ext !== '.py') bad('a Python entry must be a .py file');
  if (language !== 'python' && !/^\.(?:[cm]?[jt]s|[jt]sx)$/.test(ext)) bad('must be a JavaScript or TypeScript file');
  for (const name of entry.exports) if (!IDENT.test(name)) bad(`export ${JSON.stringify(name)} is not an identifier`);
}

/** 'src/app/slug.py' → 'src.app.slug' (the run's root is on sys.path). */
export function pythonModule(file: string): string {
  return file.replace(/\.py$/, '').split('/').join('.');
}

/** What a test file at the run's root imports: 'src/id.ts' → './src/id.js' (the runner transpiles .ts to .js). */
export function esSpecifier(file: string): string {
  const out = file
    .replace(/\.(?:ts|tsx|jsx)$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
  return `./${out}`;
}

/** A generated test file's name at the run's root, e.g. test_slug_docstring.py or slug.model.test.ts. */
export function testFileName(language: Language, entryFile: string, kind: 'docstring' | 'model'): string {
  const base = path.posix.basename(entryFile).replace(/\.[^.]+$/, '');
  if (language === 'python') return `test_${base}_${kind}.py`;
  return `${base}.${kind}.test.${language === 'typescript' ? 'ts' : 'mjs'}`;
}

/** The import lines of a generated node:test file. */
export function nodeTestHeader(entry: TestEntry): string {
  const names = entry.exports.length > 0 ? `{ ${entry.exports.join(', ')} }` : '* as candidate';
  return [
    "import { test, describe, it, before, after, beforeEach, afterEach } from 'node:test';",
    "import assert from 'node:assert/strict';",
    `import ${names} from '${esSpecifier(entry.file)}';`,
  ].join('\n');
}
