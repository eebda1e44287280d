// File cards (the embedded texts of a file): a summary — path, the header comment without licence text or comment
// markers, defined names as words — and a doc card with the definitions' doc sentences; capped; files without a
// grammar or that do not parse still get a summary.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../native/index/analyze';
import { leadSentences, signature } from '../../../native/index/card-docs';
import { commentText } from '../../../native/index/comment-text';
import { FILE_CARD_KIND, FILE_CARD_MAX_CHARS, identifierWords } from '../../../native/index/file-card';

const cardsOf = async (rel: string, text: string) => (await analyzeSource(rel, text)).chunks.filter((c) => c.kind === FILE_CARD_KIND);
const cardOf = async (rel: string, text: string) => {
  const cards = await cardsOf(rel, text);
  expect(cards).toHaveLength(1);
  return cards[0]!;
};

describe('identifierWords', () => {
  it('splits camelCase, acronyms, snake_case and $', () => {
    expect(identifierWords('parseHTTPHeader_value')).toBe('parse http header value');
    expect(identifierWords('$refSchema')).toBe('ref schema');
    expect(identifierWords('MAX_RETRIES')).toBe('max retries');
  });
});

describe('commentText', () => {
  it('drops block, line and JSDoc markers and the @fileoverview tag word', () => {
    expect(commentText('/**\n * @fileoverview Rule to flag unused bindings\n * @author X\n */')).toBe('Rule to flag unused bindings');
    expect(commentText('//------------------\n// Helpers\n//------------------')).toBe('Helpers');
    expect(commentText('/** Merges objects.\n * @param {Object} a first\n * @returns {Object} */')).toBe('Merges objects.');
    expect(commentText('// use !== and === here')).toBe('use !== and === here');
    expect(commentText('// retries a call\n// with backoff')).toBe('retries a call with backoff');
    expect(commentText('"""Parse invoices."""')).toBe('Parse invoices.');
  });

  it('ends the description at the first block tag, continuation lines included', () => {
    expect(
      commentText('/**\n * Runs tasks in series.\n * @param {Array} tasks - the functions\n *   to run.\n * @example\n * run(x)\n */'),
    ).toBe('Runs tasks in series.');
  });
});

describe('leadSentences and signature', () => {
  it('keeps the first sentence, or two when the first is short, and cuts long text at a word', () => {
    const long = 'Applies the fixes reported by the rules to the source text of one file.';
    expect(leadSentences(`${long} Then sorts them.`)).toBe(long);
    expect(leadSentences('Applies fixes. Skips overlapping ones that touch the same range. More.')).toBe(
      'Applies fixes. Skips overlapping ones that touch the same range.',
    );
    expect(leadSentences(`${'word '.repeat(50)}end.`).length).toBeLessThanOrEqual(160);
    const many = 'Sentence number one is here. '.repeat(10).trim();
    expect(leadSentences(many, 200)).toBe('Sentence number one is here. '.repeat(6).trim());
  });

  it('reads the parameters written after a definition name on its line', () => {
    const def = (name: string) => ({ name, rel: 'a.js', line: 1, kind: 'function' as const });
    expect(signature(['const maxSatisfying = (versions, range, options) => {'], def('maxSatisfying'))).toBe('(versions, range, options)');
    expect(signature(['export async function load<T>(path: string) {'], def('load'))).toBe('(path: string)');
    expect(signature(['function noop() {}'], def('noop'))).toBeNull();
    expect(signature(['class X {}'], def('Y'))).toBeNull();
  });
});

describe('fileCards through analyzeSource', () => {
  it('TypeScript: a summary (path, header, names) and a doc card (definition docs), licence and directives skipped', async () => {
    const src = [
      '/* eslint-disable no-console */',
      '/* Copyright 2020 ACME. MIT License. */',
      '/** Network helpers for the sync client. */',
      '',
      '/** Retry a failing call with exponential backoff. Gives up after maxAttempts. */',
      'export function retryWithBackoff(fn: () => void, maxAttempts = 3) { return fn(); }',
      '// Opens after five failures in a row.',
      '// Closes again after a quiet minute.',
      'export class CircuitBreaker {}',
    ].join('\n');
    const [summary, docs, ...rest] = await cardsOf('src/http/retry.ts', src);
    expect(rest).toHaveLength(0);
    expect(summary!.text.split('\n')[0]).toBe('src/http/retry.ts');
    expect(summary!.text).toContain('Network helpers for the sync client.');
    expect(summary!.text).toContain('retry with backoff');
    expect(summary!.text).toContain('circuit breaker');
    expect(summary!.text).not.toContain('exponential');
    expect(docs!.text).toBe(
      'src/http/retry.ts\nRetry a failing call with exponential backoff. Gives up after maxAttempts. Opens after five failures in a row. Closes again after a quiet minute.',
    );
    for (const c of [summary!, docs!]) {
      expect(c.text).not.toMatch(/Copyright|MIT|eslint/);
      expect(c).toMatchObject({ startLine: 1, endLine: 9, rel: 'src/http/retry.ts', kind: FILE_CARD_KIND });
    }
    expect(docs!.id).not.toBe(summary!.id);
  });

  it('drops separator-boxed section labels and adds description strings to the doc card', async () => {
    const src = [
      '/** @fileoverview Rule to flag == and != */',
      '//------------------------------------------------------------------------------',
      '// Rule Definition',
      '//------------------------------------------------------------------------------',
      'module.exports = { meta: { docs: { description: "Require the use of `===` and `!==`" } }, create(context) { return {}; } };',
    ].join('\n');
    const [summary, docs] = await cardsOf('lib/rules/eqeqeq.js', src);
    expect(summary!.text).toContain('Rule to flag == and !=');
    expect(summary!.text).not.toContain('Rule Definition');
    expect(docs!.text).toBe('lib/rules/eqeqeq.js\nRequire the use of `===` and `!==`');
  });

  it('Python: the module docstring is the header, function docstrings make the doc card', async () => {
    const [summary, docs] = await cardsOf(
      'tools/invoice.py',
      '"""Invoices and refunds."""\n\ndef refund_customer(order):\n    """Pay back an order in full, minus the shipping fee."""\n    return -order.total\n',
    );
    expect(summary!.text).toBe('tools/invoice.py\nInvoices and refunds.\nrefund customer');
    expect(docs!.text).toBe('tools/invoice.py\nPay back an order in full, minus the shipping fee.');
  });

  it('a one-function module without docs: its code after the imports, and its signature', async () => {
    const src =
      "'use strict'\nconst Range = require('../classes/range')\nconst satisfies = (version, range, options) => {\n  try { range = new Range(range, options) } catch (er) { return false }\n  return range.test(version)\n}\nmodule.exports = satisfies\n";
    const card = await cardOf('semver/functions/satisfies.js', src);
    expect(card.text.split('\n')[1]).toMatch(/^const satisfies = \(version, range, options\) => \{ try .*catch \(er\) \{ return false \}/);
    expect(card.text).toContain('satisfies (version, range, options)');
    expect(card.text).not.toContain('require');
  });

  it('a file without a grammar and a file that does not parse still get a card from their first words', async () => {
    expect((await cardOf('docs/notes.txt', 'Release   notes\nfor version 2')).text).toBe('docs/notes.txt\nRelease notes for version 2');
    const broken = await cardOf('src/broken.ts', 'export function (((( {');
    expect(broken.text).toBe('src/broken.ts\nexport function (((( {');
  });

  it('is capped and content-addressed: same file → same id, another path → another id', async () => {
    const many = Array.from(
      { length: 200 },
      (_, i) => `/** Handles case number ${i} of the parser. */\nexport function someRatherLongFunctionName${i}() {}`,
    ).join('\n');
    const [a, docs] = await cardsOf('a.ts', many);
    expect(a!.text.length).toBeLessThanOrEqual(FILE_CARD_MAX_CHARS);
    expect(docs!.text.length).toBeLessThanOrEqual(FILE_CARD_MAX_CHARS);
    expect((await cardsOf('a.ts', many))[0]!.id).toBe(a!.id);
    expect((await cardsOf('b.ts', many))[0]!.id).not.toBe(a!.id);
  });
});
