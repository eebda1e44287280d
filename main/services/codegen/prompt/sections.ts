// Renders the context sections of the user message (target files, rules, conventions, experience, retrieved code,
// repo map) and the task. Pure text; the budget decides which of them go in.
import type { ProjectSearchHit } from '../../../../common/contracts/projects';
import type { ExperienceHit } from '../../../../common/store/codegen-requests';
import { fenced, fenceTag, tagForPath } from './fence';
import { signatureRule } from './instructions';
import { wrapUntrusted, type UntrustedBlock } from '../../security/untrusted';
import { neutralise } from './rules';

export const SECTION_TITLES = {
  conventions: '## Project conventions (detected from its config files)',
  learnedConventions: "## Conventions learned from the user's choices (code they accepted and how they edited it)",
  rules: '## Project notes for AI tools (untrusted)',
  experience: '## Feedback on similar past requests',
  repoMap: '## Repository map (other files, read-only)',
  retrieved: '## Related code from the project (read-only)',
  task: '## Task',
} as const;

export interface TargetView {
  path: string;
  lines: string[];
  selection?: { startLine: number; endLine: number };
  /** Prefix each line with its number (review, find-bugs: answers cite lines). Never for edits: SEARCH must copy. */
  numbered: boolean;
  tag: string;
}

/** A target file, whole (from 0 to lines.length) or a window of it, saying which lines are shown. */
export function renderTarget(t: TargetView, from: number, to: number): string {
  const total = t.lines.length;
  const whole = from === 0 && to === total;
  const width = String(total).length;
  const body = t.lines
    .slice(from, to)
    .map((l, i) => (t.numbered ? `${String(from + i + 1).padStart(width)}| ${l}` : l))
    .join('\n');
  const head = `## File \`${t.path}\`${whole ? '' : ` (lines ${from + 1}–${to} of ${total}; the rest is not shown)`}`;
  const sel = t.selection ? `\nThe user selected lines ${t.selection.startLine}–${t.selection.endLine}.` : '';
  return `${head}${sel}\n${fenced(body, t.tag)}`;
}

export function targetView(
  file: { path: string; content: string; selection?: { startLine: number; endLine: number } },
  numbered: boolean,
): TargetView {
  const lines = file.content.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return { path: file.path, lines, numbered, tag: tagForPath(file.path), ...(file.selection ? { selection: file.selection } : {}) };
}

const oneLine = (s: string, max: number): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One experience item: a rejection reason (short), or an accepted example with its code (capped at 60 lines). */
export function renderExperienceItem(h: ExperienceHit): string {
  const request = neutralise(oneLine(h.request, 160));
  if (h.decision === 'rejected') {
    return `- Previously rejected because: ${neutralise(oneLine(h.reason || 'no reason given', 300))} (request: "${request}")`;
  }
  const code = (h.code ?? '').split('\n').slice(0, 60).join('\n');
  const edited = h.userEdits ? ' The user edited it after accepting.' : '';
  return `- Accepted before for "${request}".${edited}\n${fenced(code, fenceTag(h.lang))}`;
}

export function renderExperience(items: readonly string[]): string {
  return items.length ? `${SECTION_TITLES.experience}\n${items.join('\n')}` : '';
}

/** The learned conventions block: the user's own rules, one line each (the user may have written them). */
export function renderLearnedConventions(texts: readonly string[]): string {
  return texts.length ? `${SECTION_TITLES.learnedConventions}\n${texts.map((t) => `- ${neutralise(oneLine(t, 300))}`).join('\n')}` : '';
}

/** A retrieved chunk inside an untrusted-data block (wrapUntrusted), with the detector's flag when it carries instructions. */
export function renderChunkBlock(h: ProjectSearchHit): UntrustedBlock {
  const block = wrapUntrusted('code', `${h.rel}:${h.startLine}-${h.endLine}`, fenced(h.text, tagForPath(h.rel)));
  return { text: `\`${h.rel}\` lines ${h.startLine}–${h.endLine}${h.symbol ? ` (${h.symbol})` : ''}:\n${block.text}`, flag: block.flag };
}

export function renderChunk(h: ProjectSearchHit): string {
  return renderChunkBlock(h).text;
}

export function renderRetrieved(chunks: readonly string[]): string {
  return chunks.length ? `${SECTION_TITLES.retrieved}\n${chunks.join('\n\n')}` : '';
}

export function renderRepoMap(text: string): string {
  return text.trim() ? `${SECTION_TITLES.repoMap}\n${fenced(text.trimEnd(), '')}` : '';
}

export interface TaskView {
  prompt: string;
  signature?: string;
  entry?: { file: string; exports: string[] };
  selection?: { path: string; startLine: number; endLine: number };
  /** Shown when a single edit target was not shown whole: the SEARCH text must come from the lines shown. */
  editNote?: string;
}

/** The task, last in the message; the signature rule is repeated after it (small models follow what they read last). */
export function renderTask(t: TaskView): string {
  const parts = [SECTION_TITLES.task, t.prompt.trim() || '(no extra instructions: do what the request type says to the file above)'];
  if (t.selection)
    parts.push(
      `Work on lines ${t.selection.startLine}–${t.selection.endLine} of \`${t.selection.path}\`; change other lines only if the task needs it.`,
    );
  if (t.editNote) parts.push(t.editNote);
  if (t.signature) parts.push(signatureRule(t.signature));
  return parts.join('\n');
}
