// repairPrompt: the previous answer and what was wrong with it (compile errors, failing tests, unmatched edit blocks)
// folded into the request, within the same budget; the oldest repair turns go first when it overflows.
import { EvolveError } from '../../../../common/errors';
import { TEMPLATE_TOKENS_ANSWER_HEADER, TEMPLATE_TOKENS_PER_MESSAGE } from './budget';
import { fenceTag } from './fence';
import { signatureRule } from './instructions';
import { renderTarget, targetView } from './sections';
import type { AssembledPrompt, BudgetPart, PromptLayout, RepairStyle } from './types';

/** The estimate is the measured ratio of this prompt times this margin (an answer is denser than prose). */
export const ESTIMATE_MARGIN = 1.2;
const DROP_ORDER = ['repoMap', 'retrieved', 'experience', 'conventions', 'rules'] as const;

export interface RepairOptions {
  /** A synchronous exact counter (the app's tokenizer when it has one in process); else the calibrated estimate. */
  countTokens?: (text: string) => number;
  /**
   * Edit requests: the current text of the target files, with the blocks of earlier rounds applied. Shown instead of
   * the original so the next SEARCH blocks are written against what is really there; the original is kept when the
   * current files do not fit.
   */
  files?: readonly { path: string; content: string }[];
}

/** Models this size or smaller (billions of parameters) repair a piece of code by writing it again (`fresh`). */
export const FRESH_REPAIR_MAX_PARAMS_B = 3;

/**
 * Shown its own answer, a small model resends it: Qwen2.5-Coder 1.5B, greedy, returned the same code for 12 of 12
 * recorded failing eval answers (compile errors and failing examples alike) with the answer in the user message, and
 * for 11 of 12 with it as its own assistant turn; shown only the problems (with the lines they quote) it wrote a new
 * answer for all 12. So small models, and code answers only, get `fresh`: an edit's blocks must be written against the
 * file as it now is, and a larger model uses its earlier code well. An unknown size keeps `revise`.
 */
export function repairStyleFor(shape: PromptLayout['shape'], modelParamsB: number | undefined): RepairStyle {
  return shape === 'code' && modelParamsB !== undefined && modelParamsB <= FRESH_REPAIR_MAX_PARAMS_B ? 'fresh' : 'revise';
}

function renderTurn(turn: { attempt: number; answer: string; feedback: string }, style: RepairStyle): string {
  const n = turn.attempt;
  if (style === 'fresh') return `## Attempt ${n} was wrong\n${turn.feedback.trim()}`;
  return `## Your answer, attempt ${n}\n${turn.answer.trim() || '(empty answer)'}\n\n## Problems found in attempt ${n}\n${turn.feedback.trim()}`;
}

function closing(layout: PromptLayout, editFormat: AssembledPrompt['editFormat']): string {
  if (layout.shape === 'code') {
    const sig = layout.signature ? `\n${signatureRule(layout.signature)}` : '';
    const block = `in one \`\`\`${fenceTag(layout.language)} block, no explanation.${sig}`;
    return layout.repairStyle === 'fresh'
      ? `Write the code again from scratch, avoiding these mistakes. Answer with the complete code ${block}`
      : `Fix these problems. Answer again with the complete corrected code ${block}`;
  }
  if (layout.shape === 'edit') {
    return editFormat === 'whole-file'
      ? 'Fix these problems. Answer again with the complete new content of each file you change, in the same format, no explanation.'
      : 'Fix these problems. Answer again with SEARCH/REPLACE blocks in the same format, no explanation.';
  }
  return 'Correct your answer.';
}

/** Keeps the first and last lines of `text` within `maxChars` (errors sit at the end of a log, names at the start). */
function squeeze(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const mark = '\n[… cut to fit the context …]\n';
  const keep = Math.max(0, maxChars - mark.length);
  return text.slice(0, Math.floor(keep / 3)) + mark + text.slice(text.length - (keep - Math.floor(keep / 3)));
}

/**
 * The prompt for the next round. Cuts in order until it fits: the oldest repair turns, then the optional context
 * (repo map first … rules last), then the latest answer and feedback are shortened (head and tail kept). A prompt
 * that still does not fit (target + task + instructions alone fill the context) is RESOURCE_EXHAUSTED.
 */
export function repairPrompt(prev: AssembledPrompt, answer: string, feedback: string, opts: RepairOptions = {}): AssembledPrompt {
  if (!feedback.trim())
    throw new EvolveError('INVALID_ARGUMENT', 'repairPrompt needs the feedback to send back (compile errors, failing tests).');
  const layout = prev.layout;
  if (!layout) throw new EvolveError('INVALID_ARGUMENT', 'repairPrompt needs a prompt made by assemblePrompt or testWritingPrompt.');
  const ratio = layout.tokensPerChar > 0 ? layout.tokensPerChar : 0.3;
  const estimate = (text: string): number => Math.ceil(text.length * ratio * ESTIMATE_MARGIN);
  const tokens = (text: string): number => (opts.countTokens ? opts.countTokens(text) : estimate(text));
  const overhead = 2 * TEMPLATE_TOKENS_PER_MESSAGE + TEMPLATE_TOKENS_ANSWER_HEADER;

  let turns = [...layout.repairs, { attempt: (layout.repairs.at(-1)?.attempt ?? 0) + 1, answer, feedback }];
  let sections = [...layout.sections];
  const targetAt = sections.findIndex((x) => x.name === 'target');
  const original = targetAt >= 0 ? sections[targetAt]! : undefined;
  if (opts.files?.length && original && layout.shape === 'edit') {
    const text = opts.files
      .map((f) => {
        const view = targetView(f, false);
        return renderTarget(view, 0, view.lines.length).replace(/^## File (`[^`]*`)/, '## File $1 now, with your earlier edits applied');
      })
      .join('\n\n');
    sections[targetAt] = { name: 'target', text, tokens: tokens(text + '\n\n'), items: opts.files.length };
  }
  const droppedSections = new Map<string, number>();
  let cutTurns = 0;
  const style = layout.repairStyle ?? 'revise';
  const tail = (): string => [...turns.map((t) => renderTurn(t, style)), closing(layout, prev.editFormat)].join('\n\n');
  const render = (): string => [...sections.map((s) => s.text), layout.task, tail()].join('\n\n');
  // The system, sections and task were measured by the real tokenizer when assembled; only the new turns are
  // estimated (plus a token per section boundary, where a tokenizer may merge differently).
  const total = (): number =>
    opts.countTokens
      ? overhead + opts.countTokens(layout.system) + opts.countTokens(render())
      : overhead + layout.systemTokens + layout.taskTokens + sections.reduce((n, s) => n + s.tokens + 1, 0) + 1 + estimate(tail());

  while (total() > layout.available && turns.length > 1) {
    turns = turns.slice(1);
    cutTurns++;
  }
  for (const name of DROP_ORDER) {
    if (total() <= layout.available) break;
    const s = sections.find((x) => x.name === name);
    if (!s) continue;
    droppedSections.set(name, s.items);
    sections = sections.filter((x) => x !== s);
  }
  if (original && total() > layout.available) sections = sections.map((x) => (x.name === 'target' ? original : x));
  if (total() > layout.available) {
    // Shorten the latest turn, head and tail kept: the feedback gets up to half the room, the answer the rest.
    const last = turns[turns.length - 1]!;
    turns[turns.length - 1] = { ...last, answer: '', feedback: '' };
    let roomChars = Math.floor((layout.available - total()) / (ratio * ESTIMATE_MARGIN)) - 16;
    for (let i = 0; i < 8 && roomChars > 0; i++) {
      // A fresh-style turn does not show the answer, so the feedback may have all the room.
      const fb = Math.min(last.feedback.length, style === 'fresh' ? roomChars : Math.floor(roomChars / 2));
      turns[turns.length - 1] = { ...last, answer: squeeze(last.answer, roomChars - fb), feedback: squeeze(last.feedback, fb) };
      if (total() <= layout.available) break;
      roomChars = Math.floor(roomChars * 0.85);
    }
  }
  const used = total();
  if (used > layout.available || !turns[turns.length - 1]!.feedback.trim()) {
    throw new EvolveError(
      'RESOURCE_EXHAUSTED',
      `The repair prompt needs about ${used} tokens; the model's context leaves ${layout.available}.`,
      {
        needed: used,
        available: layout.available,
      },
    );
  }

  const user = render();
  const repairTokens = tokens(turns.map((t) => renderTurn(t, style)).join('\n\n'));
  const parts: BudgetPart[] = prev.budget.parts.map((p) =>
    droppedSections.has(p.name) ? { ...p, tokens: 0, items: [], dropped: p.dropped + Math.max(1, droppedSections.get(p.name)!) } : p,
  );
  const keptRepairs = turns;
  return {
    messages: [
      { role: 'system', content: layout.system },
      { role: 'user', content: user },
    ],
    budget: {
      ...prev.budget,
      used,
      parts,
      repair: { tokens: repairTokens, turns: keptRepairs.length, dropped: (prev.budget.repair?.dropped ?? 0) + cutTurns },
    },
    ...(prev.editFormat ? { editFormat: prev.editFormat } : {}),
    ...(prev.warnings ? { warnings: prev.warnings } : {}),
    layout: { ...layout, sections, repairs: keptRepairs },
  };
}
