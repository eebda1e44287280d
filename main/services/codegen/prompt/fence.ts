// Markdown fences for code put into a prompt: the language's tag, and a fence longer than any backtick run inside.
import type { Language } from '../../../../common/codegen/types';
import { FENCE_TAGS } from '../edits/languages';

/** The tag a model is most likely to repeat (and extractCode recognises): python, typescript, ... */
export function fenceTag(language: Language): string {
  return FENCE_TAGS[language][0]!;
}

/** A tag from a file's extension (a retrieved chunk may be in another language than the request), '' when unknown. */
export function tagForPath(file: string): string {
  const ext = /\.([A-Za-z0-9+]+)$/.exec(file)?.[1]?.toLowerCase();
  if (!ext) return '';
  for (const tags of Object.values(FENCE_TAGS)) if (tags.includes(ext)) return tags[0]!;
  return ext === 'py' ? 'python' : ext;
}

/** `content` fenced so that no line inside can close the fence early (Aider switches to quadruple backticks likewise). */
export function fenced(content: string, tag: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${tag}\n${content.replace(/\s+$/, '')}\n${fence}`;
}
