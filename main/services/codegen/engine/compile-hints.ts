// One-line fixes for the TypeScript compile errors a small model repeats. The compiler's message says what is wrong
// but not what to write, and the 1.5B often rewrites the same construct. In the 2026-12-04 k=3, N=3 run on 26
// TypeScript problems these failed again and again, often up to the last round: a possibly null/undefined value
// (TS2531/2532/2533/18047/18048) in 14 rounds, a field named like a getter or method (TS2300) in 11, `import { assert }`
// (TS2595) in 7, arithmetic on a non-number and an untyped index (TS2362, TS7053) in 6 each, `unknown` used unnarrowed
// (TS18046) and a missing final return (TS2366) in 4 each. A hint is added only where one fix fits every occurrence of
// the error; other errors keep the compiler's text alone.
import type { Finding } from '../../../../common/codegen/types';

interface Hint {
  /** tsc error codes the hint answers. */
  rules: readonly string[];
  /** The hint, given the identifier the message quotes first (when it quotes one). */
  text: (name: string | undefined) => string;
}

const q = (name: string | undefined, fallback: string) => (name ? `\`${name}\`` : fallback);

const HINTS: readonly Hint[] = [
  {
    rules: ['TS2300'],
    text: (n) =>
      `a class cannot have a field and a getter or method both named ${q(n, 'the same')}: keep the getter or method and store the value in a private field such as \`#${n ?? 'value'}\`.`,
  },
  {
    rules: ['TS2595'],
    text: () => "import it as `import assert from 'node:assert/strict';` (a default import), then call `assert.equal(…)` etc.",
  },
  {
    rules: ['TS2366'],
    text: () => 'every path must return: add a final `return` (or `throw`) after the loop or at the end of the function.',
  },
  {
    rules: ['TS2531', 'TS2532', 'TS2533', 'TS18047', 'TS18048'],
    text: (n) => `check ${q(n, 'the value')} before using it (\`if (${n ?? 'x'} == null) …\`), or use \`?.\` / \`??\`.`,
  },
  {
    rules: ['TS18046'],
    text: (n) =>
      `narrow ${q(n, 'the value')} before using it: \`typeof ${n ?? 'x'} === 'object' && ${n ?? 'x'} !== null\`, \`Array.isArray(${n ?? 'x'})\` or \`instanceof\`.`,
  },
  {
    rules: ['TS2362', 'TS2363'],
    text: () => 'arithmetic needs numbers: use `.getTime()` on a Date and `Number(…)` on a string.',
  },
  {
    rules: ['TS2588'],
    text: (n) => `declare ${q(n, 'it')} with \`let\`, not \`const\`, since it is reassigned.`,
  },
  {
    rules: ['TS7053'],
    text: () => 'give the object an index type such as `Record<string, T>`, or type the key as `keyof typeof obj`.',
  },
];

const BY_RULE = new Map(HINTS.flatMap((h) => h.rules.map((r) => [r, h] as const)));

/** The first identifier a tsc message quotes ('state' in "Duplicate identifier 'state'."). */
function quotedName(message: string): string | undefined {
  const m = /'([A-Za-z_$#][\w$]*)'/.exec(message);
  return m?.[1];
}

/** The hint for a compile error, or undefined when none fits (non-tsc findings, codes not in the table). */
export function compileHint(f: Finding): string | undefined {
  if (f.tool !== 'tsc') return undefined;
  return BY_RULE.get(f.ruleId)?.text(quotedName(f.message));
}
