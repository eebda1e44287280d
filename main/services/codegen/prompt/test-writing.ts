// testWritingPrompt: the separate generation in which the model writes tests for the entry point from the task alone
// (CodeT: tests and code sampled apart, so a test agreeing with several candidates is evidence, not an echo).
import path from 'node:path';
import type { Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { keepSignature } from '../edits/signature';
import { TEMPLATE_TOKENS_ANSWER_HEADER, TEMPLATE_TOKENS_PER_MESSAGE } from './budget';
import { fenced, fenceTag, tagForPath } from './fence';
import { LANGUAGE_NAMES, testRunnerFor } from './instructions';
import { AssembleInputSchema, type AssembledPrompt, type AssembleInput, type BudgetPart, type Conventions } from './types';
import { emptyParts } from './budget';

/**
 * Without the app's tokenizer at hand this estimate is used: about 3 characters per token, on the safe side of
 * BPE tokenizers on code (Qwen2.5 and Gemma 3 average 3.5–4.5 on the eval's prompts).
 */
export const CHARS_PER_TOKEN_ESTIMATE = 3;

export interface TestWritingOptions {
  countTokens?: (text: string) => number;
  conventions?: Conventions | null;
}

/** How a test imports the entry module: `solution` (Python module path) or `./solution.js` (ESM specifier). */
export function importSpecifier(language: Language, file: string): string {
  const posix = file.replace(/\\/g, '/').replace(/^\.\//, '');
  if (language === 'python') return posix.replace(/\.py$/, '').replace(/\//g, '.');
  const noExt = posix.replace(/\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/, '');
  return `./${noExt}.js`;
}

function importLine(language: Language, file: string, names: readonly string[]): string {
  const spec = importSpecifier(language, file);
  if (language === 'python') return `from ${spec} import ${names.join(', ')}`;
  return `import { ${names.join(', ')} } from '${spec}';`;
}

/** The entry from the input, else the target file / a default module, and the names from the prompt's signature. */
function entryOf(input: AssembleInput): { file: string; exports: string[] } {
  if (input.entry) return input.entry;
  const file =
    input.target?.path ?? (input.language === 'python' ? 'solution.py' : input.language === 'javascript' ? 'solution.js' : 'solution.ts');
  const name = keepSignature(input.prompt, '', input.language).name;
  return { file: path.posix.normalize(file), exports: name ? [name] : [] };
}

/**
 * Asks for tests only (pytest / node:test or the project's runner) of the entry point, never the implementation.
 * The task is cut by lines from its end if it does not fit; the instructions must fit (else RESOURCE_EXHAUSTED).
 */
export function testWritingPrompt(raw: AssembleInput, opts: TestWritingOptions = {}): AssembledPrompt {
  const parsed = AssembleInputSchema.safeParse(raw);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid prompt input: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
  const input = parsed.data;
  if (!input.prompt.trim()) throw new EvolveError('INVALID_ARGUMENT', 'The request is empty: tests need a task to test.');
  const tokens = (t: string): number => (opts.countTokens ? opts.countTokens(t) : Math.ceil(t.length / CHARS_PER_TOKEN_ESTIMATE));
  const available = input.contextTokens - input.reservedForAnswer;
  const entry = entryOf(input);
  const runner = testRunnerFor(input.language, opts.conventions);
  const names = entry.exports.length ? entry.exports.map((e) => `\`${e}\``).join(', ') : 'the code the task describes';
  const tag = fenceTag(input.language);
  const imports = importLine(input.language, entry.file, entry.exports.length ? entry.exports : ['...']);
  const style =
    runner === 'node:test'
      ? "Start with `import { test } from 'node:test';` and `import assert from 'node:assert/strict';`."
      : runner === 'pytest'
        ? 'Plain `def test_...():` functions with `assert`; `pytest.raises` for the errors the task names.'
        : `Use ${runner}.`;
  const system = [
    `You are an expert ${LANGUAGE_NAMES[input.language]} developer who writes tests. Write ${runner} tests for ${names}, from the task alone.`,
    `Do not implement it: import it with \`${imports}\`. ${style}`,
    // Measured 2026-12-05 (model-tests-probe, Qwen 1.5B, 52 problems): 138 of 195 cases right on the references
    // (71 %). Asking instead for only inputs whose result the task states, never a worked-out value, gave 138 of 199
    // and fewer all-right suites (22 vs 25): 23 answers did not change (same tokens), 4 got better, 6 worse. Not adopted.
    'Write 3 to 8 small tests, one behaviour each: the examples in the task, edge cases and the errors it names. Only assert values you are sure of from the task.',
    `Answer with the test code only: one \`\`\`${tag} block, no explanation.`,
  ].join('\n');

  const overhead = 2 * TEMPLATE_TOKENS_PER_MESSAGE + TEMPLATE_TOKENS_ANSWER_HEADER;
  const head = '## Task the code solves\n';
  // The request again after the task: a task that reads "Write a Python function …" is what the 1.5B follows when it
  // comes last, and it answered 7 of 10 Python eval test-writing prompts with the implementation (no test, no suite).
  const closing = `\n\n## Your answer\nTests only, not the implementation: ${imports} and test it. One \`\`\`${tag} block.`;
  const target =
    input.type === 'edit' && input.target
      ? `\n\n## Current \`${input.target.path}\`\n${fenced(input.target.content, tagForPath(input.target.path))}`
      : '';
  const fixed = overhead + tokens(system) + tokens(head) + tokens(closing);
  if (fixed > available) {
    throw new EvolveError(
      'RESOURCE_EXHAUSTED',
      `The test-writing instructions need ${fixed} tokens; the model's context leaves ${available}.`,
    );
  }
  // The task whole if it fits, else its first lines (the signature and docstring come first); the file only if room is left.
  let taskLines = input.prompt.trim().split('\n');
  let dropped = 0;
  while (taskLines.length > 1 && fixed + tokens(taskLines.join('\n')) > available) {
    taskLines = taskLines.slice(0, Math.max(1, Math.floor(taskLines.length * 0.8)));
    dropped = 1;
  }
  let user = head + taskLines.join('\n');
  if (fixed + tokens(user) > available) throw new EvolveError('RESOURCE_EXHAUSTED', "The task does not fit the model's context.");
  const withTarget = target && overhead + tokens(system) + tokens(user + target + closing) <= available;
  if (withTarget) user += target;
  user += closing;
  const used = overhead + tokens(system) + tokens(user);

  const parts = emptyParts();
  const part = (p: BudgetPart): void => void parts.set(p.name, p);
  part({ name: 'instructions', tokens: tokens(system) + tokens(closing), items: ['test-writing'], dropped: 0 });
  part({ name: 'task', tokens: tokens(head + taskLines.join('\n')), items: entry.exports, dropped });
  if (target)
    part({
      name: 'target',
      tokens: withTarget ? tokens(target) : 0,
      items: withTarget ? [input.target!.path] : [],
      dropped: withTarget ? 0 : 1,
    });
  const chars = system.length + user.length;
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    budget: { contextTokens: input.contextTokens, reservedForAnswer: input.reservedForAnswer, used, parts: [...parts.values()] },
    layout: {
      system,
      sections: [],
      task: user,
      systemTokens: tokens(system),
      taskTokens: tokens(user),
      available,
      tokensPerChar: chars > 0 ? (used - overhead) / chars : 1 / CHARS_PER_TOKEN_ESTIMATE,
      shape: 'code',
      language: input.language,
      repairs: [],
    },
  };
}
