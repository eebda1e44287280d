// Redaction corpus: every secret/PII case must be fully redacted, every negative left byte-for-byte intact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REDACTION_KINDS } from '../../../main/services/redaction/patterns';
import { Redactor } from '../../../main/services/redaction/redactor';

const CorpusSchema = z.object({
  version: z.literal(1),
  cases: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      secrets: z.array(z.object({ kind: z.enum(REDACTION_KINDS), value: z.string().min(1) })).min(1),
    }),
  ),
  negatives: z.array(z.object({ id: z.string(), text: z.string() })),
});
const corpus = CorpusSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/providers/redaction-corpus.json'), 'utf8')));
const redactor = new Redactor();

describe('redaction corpus', () => {
  it('has at least 60 positive cases and a set of negatives', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(60);
    expect(corpus.negatives.length).toBeGreaterThanOrEqual(25);
  });

  it('redacts 100 % of the secrets and counts them under the right kind', () => {
    const misses: string[] = [];
    for (const c of corpus.cases) {
      const r = redactor.redactText(c.text);
      for (const s of c.secrets) {
        if (r.text.includes(s.value)) misses.push(`${c.id}: ${s.kind} still present → ${r.text}`);
        if (!r.counts[s.kind]) misses.push(`${c.id}: no ${s.kind} counted (counts ${JSON.stringify(r.counts)}) → ${r.text}`);
      }
      if (!/\[REDACTED_[A-Z0-9_]+_\d+\]/.test(r.text)) misses.push(`${c.id}: no placeholder`);
    }
    const rate = 1 - misses.length / corpus.cases.length;
    expect(misses, `redaction rate ${(rate * 100).toFixed(1)} %`).toEqual([]);
  });

  it('leaves every negative untouched (0 false positives)', () => {
    const fps = corpus.negatives
      .map((n) => ({ n, r: redactor.redactText(n.text) }))
      .filter(({ n, r }) => r.text !== n.text)
      .map(({ n, r }) => `${n.id}: ${JSON.stringify(r.counts)} → ${r.text}`);
    expect(fps).toEqual([]);
  });
});
