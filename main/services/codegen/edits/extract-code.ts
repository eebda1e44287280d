// Pulls the code out of a model answer: fenced or not, with prose around it, several blocks, odd fence tags.
import { LanguageSchema, type Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { findFencedBlocks, type FencedBlock } from './fences';
import { CODE_START, DEFINES, NON_CODE_TAGS, languageOfTag } from './languages';

export interface ExtractedCode {
  code: string;
  /** fenced: a closed block; unclosed-fence: the answer stopped inside a block; bare: no fences, prose stripped. */
  how: 'fenced' | 'unclosed-fence' | 'bare';
  /** How many non-empty candidate blocks the answer had (more than one means one was chosen). */
  candidates: number;
}

/** Removes the common leading whitespace of all non-blank lines (Python's textwrap.dedent). */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let common: string | undefined;
  for (const l of lines) {
    if (!l.trim()) continue;
    const lead = /^[ \t]*/.exec(l)![0];
    if (common === undefined || !lead.startsWith(common)) {
      let k = 0;
      const c = common ?? lead;
      while (k < c.length && k < lead.length && c[k] === lead[k]) k++;
      common = c.slice(0, k);
    }
  }
  if (!common) return text;
  const n = common.length;
  return lines.map((l) => (l.trim() ? l.slice(n) : '')).join('\n');
}

function tidy(code: string): string {
  const lines = dedent(code).split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  return lines.length ? lines.map((l) => l.replace(/[ \t]+$/, '')).join('\n') + '\n' : '';
}

const KEYWORD_START = /^(?:return|if|for|while|else|elif|try|except|finally|with|yield|raise|pass|break|continue|assert|print)\b/;

/** A line of prose at column 0: several words, no code punctuation, not a keyword. */
function isProse(line: string, lang: Language): boolean {
  if (!line.trim() || /^\s/.test(line)) return false;
  if (CODE_START[lang].test(line) || KEYWORD_START.test(line)) return false;
  const words = line.trim().split(/\s+/);
  if (words.length < 3 && !/[.:!?]$/.test(line.trim())) return false;
  if (/^[-*+>] |^\d+[.)] |^#{1,6} /.test(line)) return true; // markdown list item, quote or heading
  return !/[=(){}[\];]|=>|->/.test(line) || (/^[A-Z][a-z]+[\s,]/.test(line) && /[.:!?]\s*$/.test(line) && !/[;{]\s*$/.test(line));
}

/** Code without fences: from the first line that starts code to the last line that is not prose. */
function bareCode(answer: string, lang: Language): string {
  const lines = answer.replace(/\r\n|\r/g, '\n').split('\n');
  const start = lines.findIndex((l) => CODE_START[lang].test(l) && !isProse(l, lang));
  if (start < 0) return '';
  let end = lines.length - 1;
  // Trailing prose ends the code: stop at the first prose line after the start (blank lines before it go too).
  for (let i = start + 1; i < lines.length; i++) {
    if (isProse(lines[i]!, lang)) {
      end = i - 1;
      break;
    }
  }
  return lines.slice(start, end + 1).join('\n');
}

function rank(b: FencedBlock, lang: Language): number {
  return (DEFINES[lang].test(b.code) ? 1e9 : 0) + (b.closed ? 1e8 : 0) + b.code.length;
}

function best(blocks: FencedBlock[], lang: Language): FencedBlock | undefined {
  return [...blocks].sort((a, b) => rank(b, lang) - rank(a, lang) || a.startLine - b.startLine)[0];
}

/**
 * The code of `answer` for `lang`. Blocks tagged with the language (any alias: ```py, ```python3) win; then untagged
 * blocks that look like the language; blocks tagged as another language or as shell/output are never chosen.
 * Among equals, a block that defines something beats a usage example, then the longest. Throws INVALID_ARGUMENT
 * when there is no code at all (the caller stores it as a failed round, never an empty result).
 */
export function extractCode(answer: string, lang: Language): ExtractedCode {
  const language = LanguageSchema.parse(lang);
  if (!answer.trim()) throw new EvolveError('INVALID_ARGUMENT', 'The model answered with nothing');
  const blocks = findFencedBlocks(answer).filter((b) => b.code.trim());
  const tagged = blocks.filter((b) => languageOfTag(b.tag) === language);
  const untagged = blocks.filter((b) => !b.tag || (!NON_CODE_TAGS.has(b.tag) && !languageOfTag(b.tag)));
  const looksRight = untagged.filter((b) => b.code.split('\n').some((l) => CODE_START[language].test(l)));
  const pick = best(tagged, language) ?? best(looksRight, language) ?? best(untagged, language);
  if (pick) {
    const code = tidy(pick.code);
    if (code) return { code, how: pick.closed ? 'fenced' : 'unclosed-fence', candidates: tagged.length || untagged.length };
  }
  if (blocks.length === 0) {
    const code = tidy(bareCode(answer, language));
    if (code) return { code, how: 'bare', candidates: 1 };
  }
  const other = blocks.map((b) => b.tag || 'untagged').join(', ');
  throw new EvolveError(
    'INVALID_ARGUMENT',
    blocks.length ? `The answer has no ${language} code (its code blocks are: ${other})` : `The answer has no ${language} code`,
  );
}
