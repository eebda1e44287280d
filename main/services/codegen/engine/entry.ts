// Where a generation's code goes and which names its tests import: the caller's entry, else the target file, else a
// default file per language with the names the request's own signature defines.
import path from 'node:path';
import type { Language } from '../../../../common/codegen/types';
import type { GenerateInputParsed } from '../../../../common/codegen/engine';
import type { TestEntry } from './types';

export const DEFAULT_FILES: Record<Language, string> = {
  python: 'solution.py',
  typescript: 'solution.ts',
  javascript: 'solution.js',
  go: 'main.go',
  rust: 'lib.rs',
  java: 'Main.java',
  cpp: 'main.cpp',
};

const DEFS: Partial<Record<Language, RegExp>> = {
  python: /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm,
  typescript: /\b(?:function\s*\*?\s*|class\s+|(?:const|let)\s+)([A-Za-z_$][\w$]*)/g,
  javascript: /\b(?:function\s*\*?\s*|class\s+|(?:const|let)\s+)([A-Za-z_$][\w$]*)/g,
};

/** Names the request's code defines at the top (a signature + docstring prompt); private names are left out. */
export function definedNames(prompt: string, language: Language): string[] {
  const re = DEFS[language];
  if (!re) return [];
  const names = [...prompt.matchAll(re)].map((m) => m[1]!).filter((n) => !n.startsWith('_'));
  return [...new Set(names)];
}

/** Where tests for `file` conventionally live: 'src/cart.py' → 'src/test_cart.py', 'src/cart.ts' → 'src/cart.test.ts'. */
export function testFileFor(file: string, language: Language): string {
  const dir = path.posix.dirname(file);
  const ext = path.posix.extname(file);
  const stem = path.posix.basename(file, ext);
  const name = language === 'python' ? `test_${stem}.py` : `${stem}.test${ext}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

export function resolveEntry(input: Pick<GenerateInputParsed, 'entry' | 'targetFile' | 'language' | 'prompt' | 'type'>): TestEntry {
  if (input.entry) return input.entry;
  // A test request's answer goes next to the code it tests, never over it.
  if (input.type === 'test' && input.targetFile) return { file: testFileFor(input.targetFile, input.language), exports: [] };
  const file = input.type !== 'edit' && input.targetFile ? input.targetFile : DEFAULT_FILES[input.language];
  return { file, exports: definedNames(input.prompt, input.language) };
}
