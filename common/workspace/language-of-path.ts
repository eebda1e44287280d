// The codegen language of a file by its extension (Python, TypeScript, JavaScript: the fully checked ones), shared by
// the Git panel's review request and the editor's inline completion.
import type { Language } from '../codegen/types';

const BY_EXTENSION: Record<string, Language> = {
  py: 'python',
  pyi: 'python',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
};

/** The file's extension in lower case ('' when it has none). */
export function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function languageOfPath(path: string): Language | undefined {
  return BY_EXTENSION[extensionOf(path)];
}
