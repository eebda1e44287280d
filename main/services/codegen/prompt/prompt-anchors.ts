// What in the request text anchors the prompt: the top-level signature of a "signature + docstring" prompt (kept
// exactly by the answer), and the line of a long target file the request names (the window centres on it).
import { keepSignature } from '../edits/signature';
import type { AssembleInput } from './types';

/**
 * The signature of a "signature + docstring" prompt: its last function, when that function is at the top level (a
 * method inside a class skeleton is part of the class to write, and "implement its body" would misdirect the model).
 */
export function topLevelSignature(prompt: string, language: AssembleInput['language']): string | undefined {
  const expected = keepSignature(prompt, '', language).expected;
  if (!expected) return undefined;
  const at = prompt.indexOf(expected);
  const lineStart = prompt.lastIndexOf('\n', at - 1) + 1;
  return /^(?:export(?:\s+default)?)?$/.test(prompt.slice(lineStart, at).trim()) && !/^[ \t]/.test(prompt.slice(lineStart, at))
    ? expected
    : undefined;
}

/**
 * Without a selection, the window of a long file centres on the first definition of a name the request mentions
 * ("make parse_order_id reject …" → `def parse_order_id`), else on its first mention; undefined: from the top.
 */
export function anchorFromPrompt(lines: readonly string[], prompt: string): { start: number; end: number } | undefined {
  // Code-looking names only (snake_case, camelCase, `name(`): plain words like "make" would match anywhere.
  const names = new Set<string>();
  for (const m of prompt.matchAll(/[A-Za-z_$][\w$]{2,}(\s*\()?/g)) {
    const name = m[0].replace(/\s*\($/, '');
    if (m[1] || /[_$]|[a-z][A-Z]/.test(name)) names.add(name);
  }
  const esc = (n: string): string => n.replace(/\$/g, '\\$');
  const patterns = [
    (n: string) => new RegExp(`\\b(?:def|class|function|interface|type|const|let|var)\\s+${esc(n)}(?![\\w$])`),
    (n: string) => new RegExp(`(?<![\\w$])${esc(n)}(?![\\w$])`),
  ];
  for (const pattern of patterns) {
    for (const n of names) {
      const re = pattern(n);
      const at = lines.findIndex((l) => re.test(l));
      if (at >= 0) return { start: at, end: at + 1 };
    }
  }
  return undefined;
}
