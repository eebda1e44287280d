// Which CodeMirror language support a file gets, by extension (Python and JS/TS are bundled; others are plain text).
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import type { Extension } from '@codemirror/state';

export function languageFor(path: string): Extension {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  if (ext === 'py' || ext === 'pyi') return python();
  if (ext === 'ts' || ext === 'mts' || ext === 'cts') return javascript({ typescript: true });
  if (ext === 'tsx') return javascript({ typescript: true, jsx: true });
  if (ext === 'jsx') return javascript({ jsx: true });
  if (ext === 'js' || ext === 'mjs' || ext === 'cjs') return javascript();
  return [];
}
