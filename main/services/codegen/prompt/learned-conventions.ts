// The conventions part of the prompt: the conventions detected from the project's config files and those learned
// from the user's choices (marked as such), filled within the part's token room.
import type { Language } from '../../../../common/codegen/types';
import type { LearnedConvention } from '../../../../common/store/experience-requests';
import { renderLearnedConventions, SECTION_TITLES } from './sections';

/** At most one per (language family, kind) is in effect, so five kinds; the cap guards a hand-made list. */
const MAX_LEARNED = 8;
const SEP = '\n\n';

const family = (l: Language): string => (l === 'typescript' || l === 'javascript' ? 'js' : l);

/** The learned conventions that apply to a request in `language` (TypeScript and JavaScript share theirs). */
export function learnedFor(conventions: readonly LearnedConvention[], language: Language): LearnedConvention[] {
  return conventions.filter((c) => !c.removed && c.inEffect && family(c.lang) === family(language));
}

export interface FilledConventions {
  text: string;
  tokens: number;
  /** Config files read, then `learned:<id>` for each learned convention that went in. */
  items: string[];
  dropped: number;
}

/**
 * Learned conventions go in first (the user's own choices, one line each, while they fit), then the detected block
 * if it still fits whole; rendered detected first. Everything measured as the final text, so the sum never lies.
 */
export async function fillConventions(
  detected: { body: string; sources: readonly string[] } | null,
  learned: readonly LearnedConvention[],
  room: number,
  measure: (t: string) => Promise<number>,
): Promise<FilledConventions> {
  const detectedText = detected?.body ? `${SECTION_TITLES.conventions}\n${detected.body}` : '';
  const render = (withDetected: boolean, texts: readonly string[]): string =>
    [withDetected ? detectedText : '', renderLearnedConventions(texts)].filter((t) => t).join(SEP);
  const texts: string[] = [];
  const ids: string[] = [];
  let dropped = Math.max(0, learned.length - MAX_LEARNED);
  for (const c of learned.slice(0, MAX_LEARNED)) {
    if ((await measure(render(false, [...texts, c.text]))) <= room) {
      texts.push(c.text);
      ids.push(`learned:${c.id}`);
    } else dropped++;
  }
  const withDetected = detectedText !== '' && (await measure(render(true, texts))) <= room;
  if (detectedText && !withDetected) dropped++;
  const text = render(withDetected, texts);
  return {
    text,
    tokens: await measure(text),
    items: [...(withDetected ? (detected?.sources ?? []) : []), ...ids],
    dropped,
  };
}
