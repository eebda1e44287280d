// Deterministic rules that learn a project's conventions from what the user kept (an accepted generation's code)
// and how they edited it afterwards (the lines they wrote): test framework, function naming, error style, quotes,
// indentation. Regexes on the text, no model: each rule says what it counts and decides only on a clear majority.
import type { Language } from '../../../../common/codegen/types';
import type { FileDiff } from '../../../../common/codegen/types';
import type { ConventionKind, ConventionObservation } from '../../../../common/store/experience-requests';
import { measureIndent, measureNaming } from '../prompt/conventions';

export interface LearnInput {
  lang: Language;
  /** The accepted code (code generations). */
  code: string | null;
  /** The accepted diff (edit generations): its added lines are what the user kept. */
  diff: readonly FileDiff[] | null;
  /** The user's edits after accepting, a unified diff: its added lines are the user's own code. */
  userEdits: string | null;
}

interface Signal {
  value: string;
  text: string;
}
type Rule = (lang: Family, text: string) => Signal | null;
type Family = 'python' | 'js';

const familyOf = (lang: Language): Family | null =>
  lang === 'python' ? 'python' : lang === 'typescript' || lang === 'javascript' ? 'js' : null;

/** Lines a unified diff adds (`+`) and removes (`-`), without the `+++`/`---` file headers. */
export function diffSides(patch: string): { added: string; removed: string } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith('-')) removed.push(line.slice(1));
  }
  return { added: added.join('\n'), removed: removed.join('\n') };
}

const TEST_FRAMEWORKS: Record<Family, { value: string; re: RegExp; text: string }[]> = {
  python: [
    {
      value: 'pytest',
      re: /^\s*(?:import pytest\b|from pytest import\b)|@pytest\.|\bpytest\.(?:raises|fixture|mark)\b/m,
      text: 'Write tests with pytest: plain test_ functions with bare assert, pytest.raises for errors (no unittest.TestCase).',
    },
    {
      value: 'unittest',
      re: /^\s*(?:import unittest\b|from unittest import\b)|\bunittest\.TestCase\b/m,
      text: 'Write tests with unittest: unittest.TestCase classes with self.assert* methods.',
    },
  ],
  js: [
    {
      value: 'vitest',
      re: /from\s+['"]vitest['"]|require\(\s*['"]vitest['"]\s*\)/,
      text: "Write tests with vitest: import { describe, it, expect } from 'vitest'.",
    },
    {
      value: 'jest',
      re: /from\s+['"]@jest\/globals['"]|\bjest\.(?:fn|mock|spyOn)\(/,
      text: 'Write tests with Jest: describe/it/expect, jest.fn() for mocks.',
    },
    {
      value: 'node:test',
      re: /['"]node:test['"]/,
      text: "Write tests with node:test: import { test } from 'node:test' and assert from 'node:assert/strict'.",
    },
    {
      value: 'mocha',
      re: /from\s+['"]mocha['"]|require\(\s*['"]mocha['"]\s*\)/,
      text: 'Write tests with mocha (describe/it) and node:assert.',
    },
  ],
};

/** The test framework the code imports; null when none or more than one. */
const testFramework: Rule = (family, text) => {
  const found = TEST_FRAMEWORKS[family].filter((f) => f.re.test(text));
  return found.length === 1 ? { value: found[0]!.value, text: found[0]!.text } : null;
};

/** Function naming by measureNaming (≥ 80% of the named definitions), with an example name from the code. */
const naming: Rule = (family, text) => {
  const n = measureNaming([{ file: family === 'python' ? 'x.py' : 'x.ts', text }]).functions;
  if (n !== 'snake_case' && n !== 'camelCase') return null;
  const shape = n === 'snake_case' ? /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/ : /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;
  const defs =
    family === 'python'
      ? /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/gm
      : /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)|\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/g;
  const example = [...text.matchAll(defs)].map((m) => (m[1] ?? m[2] ?? '').replace(/^_+|_+$/g, '')).find((x) => shape.test(x));
  return { value: n, text: `Name functions in ${n}${example ? ` (like ${example})` : ''}.` };
};

const count = (text: string, re: RegExp): number => [...text.matchAll(re)].length;

/**
 * Error style: Python `raise XError` vs `return None`; JS/TS `throw new XError` vs error values (`{ ok: false`,
 * `err(`) vs `return null|undefined`. Decided only when exactly one style appears.
 */
const errorStyle: Rule = (family, text) => {
  if (family === 'python') {
    const raised = [...text.matchAll(/^\s*raise\s+([A-Z]\w*(?:Error|Exception))\b/gm)].map((m) => m[1]!);
    const none = count(text, /^\s*return\s+None\s*(?:#.*)?$/gm);
    if (raised.length > 0 && none === 0)
      return { value: 'raise', text: `Report invalid input by raising an exception (e.g. ${mostCommon(raised)}), not by returning None.` };
    if (none > 0 && raised.length === 0)
      return { value: 'return-none', text: 'Report a missing or invalid result by returning None rather than raising an exception.' };
    return null;
  }
  const thrown = [...text.matchAll(/\bthrow\s+new\s+([A-Z]\w*Error)\b/g)].map((m) => m[1]!);
  const values = count(text, /\{\s*ok:\s*false\b|\b(?:err|Err)\(/g);
  const nulls = count(text, /\breturn\s+(?:null|undefined)\s*;?\s*$/gm);
  const styles = [thrown.length > 0, values > 0, nulls > 0].filter(Boolean).length;
  if (styles !== 1) return null;
  if (thrown.length)
    return { value: 'throw', text: `Report errors by throwing (e.g. new ${mostCommon(thrown)}(...)), not by returning null.` };
  if (values) return { value: 'result', text: 'Report errors as values ({ ok: false, error }) rather than throwing.' };
  return { value: 'return-null', text: 'Report a missing or invalid result by returning null rather than throwing.' };
};

function mostCommon(xs: readonly string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * Quote style of one-line string literals, outside comments; Python docstrings (triple quotes) and JS template
 * literals do not count. At least 2 literals, ≥ 80% one kind.
 */
const quotes: Rule = (family, text) => {
  let single = 0;
  let double = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/'''|"""/g, ' ');
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if ((family === 'python' && c === '#') || (family === 'js' && c === '/' && line[i + 1] === '/')) break;
      if (c === '`') break; // a template literal: the rest of the line is not simple to read
      if (c !== "'" && c !== '"') continue;
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      if (j >= line.length) break;
      if (c === "'") single++;
      else double++;
      i = j;
    }
  }
  const total = single + double;
  if (total < 2) return null;
  if (single / total >= 0.8) return { value: 'single', text: 'Use single quotes for strings.' };
  if (double / total >= 0.8) return { value: 'double', text: 'Use double quotes for strings.' };
  return null;
};

/** Indentation by measureIndent, from at least 2 indented lines. */
const indent: Rule = (_family, text) => {
  if (count(text, /^[ \t]+\S/gm) < 2) return null;
  const i = measureIndent([text]);
  if (i === null) return null;
  return i === '\t'
    ? { value: 'tabs', text: 'Indent with tabs.' }
    : { value: `${i.length}-spaces`, text: `Indent with ${i.length} spaces.` };
};

export const RULES: Record<ConventionKind, Rule> = {
  'test-framework': testFramework,
  naming,
  'error-style': errorStyle,
  quotes,
  indent,
};

/** The text an accepted generation kept: its code, or the added lines of its diff. */
function keptText(input: LearnInput): string {
  if (input.code !== null) return input.code;
  return (input.diff ?? [])
    .flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1))))
    .join('\n');
}

/**
 * The conventions one accepted generation shows. The user's own lines decide first (evidence `edited`); the kept code
 * counts (evidence `kept`) only for kinds the edits say nothing about, and never against what the edits removed.
 */
export function learnConventions(input: LearnInput): ConventionObservation[] {
  const family = familyOf(input.lang);
  if (!family) return []; // the rules read Python and JS/TS only
  const edits = input.userEdits ? diffSides(input.userEdits) : null;
  const kept = keptText(input);
  const out: ConventionObservation[] = [];
  for (const [kind, rule] of Object.entries(RULES) as [ConventionKind, Rule][]) {
    const fromEdit = edits && edits.added.trim() ? rule(family, edits.added) : null;
    if (fromEdit) {
      out.push({ kind, ...fromEdit, evidence: 'edited' });
      continue;
    }
    const fromKept = kept.trim() ? rule(family, kept) : null;
    // Code the user took out after accepting is not something they kept.
    const removed = edits && edits.removed.trim() ? rule(family, edits.removed) : null;
    if (fromKept && removed?.value !== fromKept.value) out.push({ kind, ...fromKept, evidence: 'kept' });
  }
  return out;
}
