// Per-language facts the extractor needs: fence tags, how a line of code starts, definitions.
import type { Language } from '../../../../common/codegen/types';

export const FENCE_TAGS: Record<Language, readonly string[]> = {
  python: ['python', 'py', 'python3', 'py3'],
  typescript: ['typescript', 'ts', 'tsx', 'mts', 'cts'],
  javascript: ['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'nodejs'],
  go: ['go', 'golang'],
  rust: ['rust', 'rs'],
  java: ['java'],
  cpp: ['cpp', 'c++', 'cc', 'cxx', 'hpp', 'h', 'c'],
};

/** Tags that are never the answer's code (shell sessions, program output, data). */
export const NON_CODE_TAGS = new Set([
  'bash',
  'sh',
  'shell',
  'zsh',
  'console',
  'terminal',
  'text',
  'txt',
  'output',
  'plaintext',
  'pycon',
  'doctest',
  'json',
  'yaml',
  'yml',
  'toml',
  'ini',
  'diff',
  'patch',
  'markdown',
  'md',
  'powershell',
  'ps1',
  'cmd',
  'bat',
  'log',
]);

/** A line that can start a piece of code at column 0 (imports, definitions, decorators, comments). */
export const CODE_START: Record<Language, RegExp> = {
  python: /^(?:def |async def |class |import |from \S+ import |@\w|#|if __name__|[A-Za-z_]\w*\s*(?::[^=]+)?=[^=])/,
  typescript:
    /^(?:export |import |function |async function |const |let |var |class |interface |type |enum |declare |abstract class |\/\/|\/\*)/,
  javascript: /^(?:export |import |function |async function |const |let |var |class |module\.exports|['"]use strict|\/\/|\/\*)/,
  go: /^(?:package |import |func |type |var |const |\/\/)/,
  rust: /^(?:fn |pub |use |mod |struct |enum |impl |trait |#\[|\/\/)/,
  java: /^(?:package |import |public |private |protected |class |interface |final |abstract |@\w|\/\/|\/\*)/,
  cpp: /^(?:#include|#define|#pragma|template|namespace |using |class |struct |int |void |auto |static |const |\w[\w:<>*& ]*\s+\w+\s*\(|\/\/|\/\*)/,
};

/** Something that defines a function or type, preferred over usage examples when several blocks are tagged alike. */
export const DEFINES: Record<Language, RegExp> = {
  python: /^\s*(?:async\s+)?(?:def|class)\s+\w/m,
  typescript: /\b(?:function|class|interface)\s+\w|=>/,
  javascript: /\b(?:function|class)\s+\w|=>/,
  go: /^func\s/m,
  rust: /^\s*(?:pub\s+)?fn\s/m,
  java: /\b(?:class|interface)\s+\w/,
  cpp: /\)\s*(?:const\s*)?\{/,
};

export function languageOfTag(tag: string): Language | undefined {
  for (const [lang, tags] of Object.entries(FENCE_TAGS) as [Language, readonly string[]][]) {
    if (tags.includes(tag)) return lang;
  }
  return undefined;
}
