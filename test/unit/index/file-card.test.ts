// File cards (the one embedded text per file): path first, the header comment without licence text or comment
// markers, defined names as words, capped; files without a grammar or that do not parse still get a card.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../native/index/analyze';
import { commentText, FILE_CARD_KIND, FILE_CARD_MAX_CHARS, identifierWords } from '../../../native/index/file-card';

const cardOf = async (rel: string, text: string) => {
  const a = await analyzeSource(rel, text);
  const cards = a.chunks.filter((c) => c.kind === FILE_CARD_KIND);
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
});

describe('fileCard through analyzeSource', () => {
  it('TypeScript: path, header comment (licence skipped), defined names as words', async () => {
    const src = [
      '/* Copyright 2020 ACME. MIT License. */',
      '/** Retry a failing call with exponential backoff. */',
      'export function retryWithBackoff(fn: () => void, maxAttempts = 3) { return fn(); }',
      'export class CircuitBreaker {}',
    ].join('\n');
    const card = await cardOf('src/http/retry.ts', `/* eslint-disable no-console */\n${src}`);
    expect(card.text.split('\n')[0]).toBe('src/http/retry.ts');
    expect(card.text).toContain('Retry a failing call with exponential backoff.');
    expect(card.text).not.toMatch(/Copyright|MIT/);
    expect(card.text).toContain('retry with backoff');
    expect(card.text).toContain('circuit breaker');
    expect(card.text).not.toContain('eslint');
    expect(card).toMatchObject({ startLine: 1, endLine: 5, rel: 'src/http/retry.ts' });
  });

  it('Python: the module docstring is the header', async () => {
    const card = await cardOf('tools/invoice.py', '"""Invoices and refunds."""\n\ndef refund_customer(order):\n    return -order.total\n');
    expect(card.text).toContain('Invoices and refunds.');
    expect(card.text).toContain('refund customer');
  });

  it('a file without a grammar and a file that does not parse still get a card from their first words', async () => {
    expect((await cardOf('docs/notes.txt', 'Release   notes\nfor version 2')).text).toBe('docs/notes.txt\nRelease notes for version 2');
    const broken = await cardOf('src/broken.ts', 'export function (((( {');
    expect(broken.text).toBe('src/broken.ts\nexport function (((( {');
  });

  it('is capped and content-addressed: same file → same id, another path → another id', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `export function someRatherLongFunctionName${i}() {}`).join('\n');
    const a = await cardOf('a.ts', many);
    expect(a.text.length).toBeLessThanOrEqual(FILE_CARD_MAX_CHARS);
    expect((await cardOf('a.ts', many)).id).toBe(a.id);
    expect((await cardOf('b.ts', many)).id).not.toBe(a.id);
  });
});
