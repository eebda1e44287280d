// assemblePrompt: the system + user messages of a codegen request, filled by priority within the model's context
// budget (instructions+task > target > rules > conventions > experience > retrieved > repo map), with the split.
import { EvolveError } from '../../../../common/errors';
import type { InjectionFlag } from '../../../../common/security/injection';
import type { ExperienceHit } from '../../../../common/store/codegen-requests';
import { chooseEditFormat } from '../edits/whole-file';
import { cachedCounter, emptyParts, fitLines, messagesTokens, TEMPLATE_TOKENS_ANSWER_HEADER, TEMPLATE_TOKENS_PER_MESSAGE } from './budget';
import { detectConventions, renderConventions } from './conventions';
import { anchorFromPrompt, topLevelSignature } from './prompt-anchors';
import { fillConventions, learnedFor } from './learned-conventions';
import { answerShape, systemPrompt } from './instructions';
import { repairStyleFor } from './repair';
import { promptInjectionFlags } from './injection-flags';
import { readRuleFiles, renderRuleFiles } from './rules';
import {
  renderChunkBlock,
  renderExperience,
  renderExperienceItem,
  renderRepoMap,
  renderRetrieved,
  renderTarget,
  renderTask,
  SECTION_TITLES,
  targetView,
} from './sections';
import {
  AssembleInputSchema,
  type AssembledPrompt,
  type AssembleInput,
  type BudgetPartName,
  type EditFormat,
  type PromptDeps,
  type PromptLayout,
  type RuleFile,
} from './types';

/** Caps per optional part (tokens): guidance, not a manual; the rest of the room goes to the project's code. */
// Conventions: the detected paragraph (~100 tokens) plus up to five learned one-liners.
export const PART_CAPS: Partial<Record<BudgetPartName, number>> = { rules: 1536, conventions: 384, experience: 1024 };
const MAX_REJECTED = 3;
const MAX_ACCEPTED = 2;
/** Below this many free tokens asking the index is not worth a round trip. */
const MIN_RETRIEVAL_TOKENS = 64;
const SEP = '\n\n';

/** Types whose request may be empty when a file is given ("explain this file"). */
const TARGET_IS_TASK = new Set(['review', 'find-bugs', 'explain', 'document', 'refactor']);

function parseInput(raw: AssembleInput): AssembleInput {
  const parsed = AssembleInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvolveError('INVALID_ARGUMENT', `Invalid prompt input: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad input'}`);
  }
  const input = parsed.data;
  if (!input.prompt.trim() && !(input.target && TARGET_IS_TASK.has(input.type))) {
    throw new EvolveError('INVALID_ARGUMENT', 'The request is empty: say what the code should do.');
  }
  if (input.reservedForAnswer >= input.contextTokens) {
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `reservedForAnswer (${input.reservedForAnswer}) leaves no room in a ${input.contextTokens}-token context for the prompt.`,
    );
  }
  if (input.type === 'edit' && !input.target)
    throw new EvolveError('INVALID_ARGUMENT', 'An edit request needs the file to change (target).');
  return input;
}

interface Filled {
  text: string;
  tokens: number;
  items: string[];
  dropped: number;
}
const NONE: Filled = { text: '', tokens: 0, items: [], dropped: 0 };

/**
 * Builds the prompt. Project data that cannot be read (no index yet, store busy) is left out with a warning rather
 * than failing the request; a request whose instructions and task alone do not fit is RESOURCE_EXHAUSTED.
 */
export async function assemblePrompt(raw: AssembleInput, deps: PromptDeps): Promise<AssembledPrompt> {
  const input = parseInput(raw);
  const count = cachedCounter(deps.countTokens);
  const available = input.contextTokens - input.reservedForAnswer;
  const warnings: string[] = [];
  const safely = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (e) {
      warnings.push(`${what} left out: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  };
  const root = input.project?.root;
  const [conventions, rules, experience] = await Promise.all([
    root ? safely('conventions', () => (deps.conventions ?? ((r: string) => detectConventions(r, deps.readFile)))(root)) : null,
    root ? safely('rule files', () => (deps.rules ?? ((r: string) => readRuleFiles(r, deps.readFile)))(root)) : null,
    deps.experience ? safely('experience', () => deps.experience!(input.project?.id ?? null, input.prompt || input.type)) : null,
  ]);

  const shape = answerShape(input.type, input.target !== undefined);
  const scriptable = input.language === 'python' || input.language === 'typescript' || input.language === 'javascript';
  const signature = shape === 'code' && input.type !== 'test' && scriptable ? topLevelSignature(input.prompt, input.language) : undefined;
  const targets: { path: string; content: string; selection?: { startLine: number; endLine: number } }[] = input.target
    ? [input.target, ...(input.moreTargets ?? [])]
    : [];
  let editFormat: EditFormat | undefined;
  if (shape === 'edit') {
    editFormat =
      chooseEditFormat(
        targets.map((t) => t.content.length),
        input.modelParamsB,
      ) === 'whole'
        ? 'whole-file'
        : 'search-replace';
  }
  const system = (projectData: boolean, format = editFormat): string =>
    systemPrompt({
      type: input.type,
      language: input.language,
      shape,
      ...(format ? { editFormat: format } : {}),
      ...(signature ? { signature } : {}),
      conventions,
      ...(input.entry ? { entry: input.entry } : {}),
      projectData,
    });
  const task = (editNote?: string): string =>
    renderTask({
      prompt: input.prompt,
      ...(signature ? { signature } : {}),
      ...(input.target?.selection ? { selection: { path: input.target.path, ...input.target.selection } } : {}),
      ...(editNote ? { editNote } : {}),
    });

  // 1. Instructions and task always go in whole; the longer system text (with the project-data line) is reserved.
  const overhead = 2 * TEMPLATE_TOKENS_PER_MESSAGE + TEMPLATE_TOKENS_ANSWER_HEADER;
  const partialEditNote = 'Only part of the file is shown: SEARCH text must come from the lines shown.';
  // An edit whose file turns out not to fit whole switches to SEARCH/REPLACE with a note: reserve for that too.
  const baseTokens = shape === 'edit' ? overhead + (await count(system(true, 'search-replace'))) + (await count(task(partialEditNote))) : 0;
  const baseActual = overhead + (await count(system(true))) + (await count(task()));
  if (Math.max(baseTokens, baseActual) > available) {
    throw new EvolveError(
      'RESOURCE_EXHAUSTED',
      `The request needs ${baseActual} tokens with its instructions, but the model's context leaves ${available} (${input.contextTokens} − ${input.reservedForAnswer} reserved for the answer). Shorten the request or pick a model with a longer context.`,
      { needed: baseActual, available },
    );
  }
  let remaining = available - Math.max(baseTokens, baseActual);
  let contextLeft = input.maxContextTokens ?? Number.POSITIVE_INFINITY;
  const filled = new Map<BudgetPartName, Filled>();
  const measure = async (text: string): Promise<number> => (text ? count(text + SEP) : 0);
  const take = (name: BudgetPartName, f: Filled, optional = true): void => {
    filled.set(name, f);
    remaining -= f.tokens;
    if (optional) contextLeft -= f.tokens;
  };

  // 2. Target files: whole, else a window around the selection; an edit with no room for its file cannot be made.
  let editNote: string | undefined;
  {
    const parts: string[] = [];
    const items: string[] = [];
    let dropped = 0;
    let tokens = 0;
    for (const [i, file] of targets.entries()) {
      const view = targetView(file, shape === 'prose');
      const whole = renderTarget(view, 0, view.lines.length);
      const wholeTokens = await measure(whole);
      if (wholeTokens <= remaining - tokens) {
        parts.push(whole);
        items.push(file.path);
        tokens += wholeTokens;
        continue;
      }
      const sel = file.selection
        ? { start: file.selection.startLine - 1, end: file.selection.endLine }
        : anchorFromPrompt(view.lines, input.prompt);
      // A window takes at most 2/3 of the room left, so a repair round (answer + feedback) still fits beside it.
      const windowRoom = Math.floor(((remaining - tokens) * 2) / 3);
      const win = await fitLines(view.lines, windowRoom, (from, to) => renderTarget(view, from, to) + SEP, count, sel);
      if (!win || (i > 0 && win.to - win.from < Math.min(view.lines.length, 20))) {
        if (i === 0 && shape === 'edit') {
          throw new EvolveError('RESOURCE_EXHAUSTED', `No room in the model's context to show ${file.path}, so it cannot be edited.`, {
            available,
          });
        }
        dropped++;
        continue;
      }
      parts.push(win.text.slice(0, -SEP.length));
      items.push(`${file.path}:${win.from + 1}-${win.to}`);
      tokens += await measure(win.text.slice(0, -SEP.length));
      dropped++;
      // A whole-file answer needs the whole file: a partly shown file is edited with SEARCH/REPLACE blocks.
      if (shape === 'edit') {
        editFormat = 'search-replace';
        editNote = partialEditNote;
      }
    }
    take('target', { text: parts.join(SEP), tokens, items, dropped }, false);
  }

  const room = (name: BudgetPartName): number => Math.max(0, Math.min(remaining, contextLeft, PART_CAPS[name] ?? Number.POSITIVE_INFINITY));

  // 3. Rule files (untrusted block): whole files in order; the first one is cut by lines if it alone is too long.
  if (rules && rules.length) take('rules', await fillRules(rules, room('rules'), measure, count));
  // 4. Conventions: those learned from the user's choices (one line each), then the detected paragraph, in or out.
  const learned = learnedFor(experience?.conventions ?? [], input.language);
  if (conventions || learned.length) {
    const detected = conventions ? { body: renderConventions(conventions), sources: conventions.sources } : null;
    take('conventions', await fillConventions(detected, learned, room('conventions'), measure));
  }
  // 5. Experience: rejection reasons (short, and what to avoid), then accepted examples of the same language.
  if (experience) take('experience', await fillExperience(experience, input.language, room('experience'), measure));
  const chunkFlags = new Map<string, InjectionFlag>();
  // 6–7. Retrieved chunks in fused order, then the repo-map slice, from one retrieval call sized to what is left.
  if (input.project && deps.retrieve && room('retrieved') >= MIN_RETRIEVAL_TOKENS) {
    const shown = new Set(filled.get('target')?.items ?? []);
    const query = [input.prompt, input.target?.path ?? ''].join(' ').trim() || input.type;
    const project = input.project;
    const result = await safely('retrieved context', () => deps.retrieve!(project.id, query, room('retrieved')));
    if (result) {
      const chunks: string[] = [];
      const items: string[] = [];
      let dropped = 0;
      let tokens = 0;
      for (const h of result.chunks) {
        if (shown.has(h.rel)) continue; // the whole file is already in the prompt
        const block = renderChunkBlock(h);
        const next = renderRetrieved([...chunks, block.text]);
        const t = await measure(next);
        if (t <= room('retrieved')) {
          chunks.push(block.text);
          items.push(`${h.rel}:${h.startLine}-${h.endLine}`);
          if (block.flag) chunkFlags.set(items.at(-1)!, block.flag);
          tokens = t;
        } else dropped++;
      }
      take('retrieved', { text: renderRetrieved(chunks), tokens, items, dropped });
      if (result.repoMap.trim()) {
        const lines = result.repoMap.trimEnd().split('\n');
        const win =
          room('repoMap') > 0
            ? await fitLines(lines, room('repoMap'), (a, b) => renderRepoMap(lines.slice(a, b).join('\n')) + SEP, count)
            : null;
        const text = win ? win.text.slice(0, -SEP.length) : '';
        take('repoMap', {
          text,
          tokens: text ? await measure(text) : 0,
          items: win ? [`${win.to} of ${lines.length} lines`] : [],
          dropped: !win || win.to < lines.length ? 1 : 0,
        });
      }
    }
  }

  // 8. Messages in reading order (task last), checked against the budget as a whole; parts at the end of the
  //    priority list go first if the sum of parts under-counted (tokenizers merge across section boundaries).
  const order: BudgetPartName[] = ['conventions', 'rules', 'experience', 'repoMap', 'retrieved', 'target'];
  const build = (): { messages: AssembledPrompt['messages']; projectData: boolean } => {
    const sections = order.map((n) => filled.get(n)?.text ?? '').filter((t) => t);
    const projectData = order.some((n) => n !== 'target' && (filled.get(n)?.text ?? '') !== '');
    const user = [...sections, task(editNote)].join(SEP);
    return {
      messages: [
        { role: 'system', content: system(projectData) },
        { role: 'user', content: user },
      ],
      projectData,
    };
  };
  let built = build();
  let used = await messagesTokens(built.messages, count);
  for (const name of ['repoMap', 'retrieved', 'experience', 'conventions', 'rules'] as const) {
    if (used <= available) break;
    const f = filled.get(name);
    if (!f || !f.text) continue;
    filled.set(name, { ...NONE, dropped: f.dropped + Math.max(1, f.items.length) });
    built = build();
    used = await messagesTokens(built.messages, count);
  }
  if (used > available) {
    throw new EvolveError('RESOURCE_EXHAUSTED', `The prompt needs ${used} tokens; the model's context leaves ${available}.`, {
      needed: used,
      available,
    });
  }

  const parts = emptyParts();
  parts.set('instructions', { name: 'instructions', tokens: await count(built.messages[0]!.content), items: [input.type], dropped: 0 });
  parts.set('task', { name: 'task', tokens: await count(task(editNote)), items: signature ? ['signature'] : [], dropped: 0 });
  for (const [name, f] of filled)
    parts.set(name, { name, tokens: f.text ? f.tokens : 0, items: f.text ? f.items : [], dropped: f.dropped });
  const chars = built.messages.reduce((n, m) => n + m.content.length, 0);
  const layout: PromptLayout = {
    system: built.messages[0]!.content,
    sections: order
      .map((name) => ({ name, f: filled.get(name) }))
      .filter((s): s is { name: BudgetPartName; f: Filled } => !!s.f && s.f.text !== '')
      .map(({ name, f }) => ({ name, text: f.text, tokens: f.tokens, items: f.items.length })),
    task: task(editNote),
    systemTokens: parts.get('instructions')!.tokens,
    taskTokens: parts.get('task')!.tokens,
    available,
    tokensPerChar: chars > 0 ? (used - overhead) / chars : 0.3,
    shape,
    language: input.language,
    ...(signature ? { signature } : {}),
    repairs: [],
    repairStyle: repairStyleFor(shape, input.modelParamsB),
  };
  const injectionFlags = promptInjectionFlags({ targets, rules: rules ?? [], chunkFlags, filled: (n) => filled.get(n)?.items ?? [] });
  return {
    messages: built.messages,
    budget: { contextTokens: input.contextTokens, reservedForAnswer: input.reservedForAnswer, used, parts: [...parts.values()] },
    ...(injectionFlags.length ? { injectionFlags } : {}),
    ...(editFormat ? { editFormat } : {}),
    ...(warnings.length ? { warnings } : {}),
    layout,
  };
}

async function fillRules(
  files: readonly RuleFile[],
  room: number,
  measure: (t: string) => Promise<number>,
  count: (t: string) => Promise<number>,
): Promise<Filled> {
  const render = (fs: readonly RuleFile[]): string => `${SECTION_TITLES.rules}\n${renderRuleFiles(fs)}`;
  for (let n = files.length; n > 0; n--) {
    const text = render(files.slice(0, n));
    const tokens = await measure(text);
    if (tokens <= room) return { text, tokens, items: files.slice(0, n).map((f) => f.path), dropped: files.length - n };
  }
  const first = files[0]!;
  const lines = first.content.split('\n');
  const win = await fitLines(
    lines,
    room,
    (a, b) => render([{ ...first, content: lines.slice(a, b).join('\n'), truncated: true }]) + SEP,
    count,
  );
  if (!win) return { ...NONE, dropped: files.length };
  const text = win.text.slice(0, -SEP.length);
  return { text, tokens: await measure(text), items: [`${first.path}:1-${win.to}`], dropped: files.length };
}

async function fillExperience(
  exp: { accepted: ExperienceHit[]; rejected: ExperienceHit[] },
  language: AssembleInput['language'],
  room: number,
  measure: (t: string) => Promise<number>,
): Promise<Filled> {
  const pool = [
    ...exp.rejected.slice(0, MAX_REJECTED),
    ...exp.accepted.filter((h) => h.lang === language && h.code).slice(0, MAX_ACCEPTED),
  ];
  const items: string[] = [];
  const ids: string[] = [];
  let tokens = 0;
  for (const h of pool) {
    const next = renderExperience([...items, renderExperienceItem(h)]);
    const t = await measure(next);
    if (t > room) continue;
    items.push(renderExperienceItem(h));
    ids.push(`${h.decision}:${h.generationId}`);
    tokens = t;
  }
  return { text: renderExperience(items), tokens, items: ids, dropped: pool.length - ids.length };
}
