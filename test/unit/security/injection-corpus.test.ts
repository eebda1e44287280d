// The injection corpus: the measured half is frozen (hash in MANIFEST.json), and the detector's verdicts on both halves.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { detectInjection } from '../../../main/services/security/injection';

const DIR = path.resolve(__dirname, '../../fixtures/security/injection');
const Case = z.object({
  id: z.string(),
  family: z.string(),
  carrier: z.string(),
  source: z.string(),
  text: z.string(),
  expect: z.enum(['flag', 'clean']),
});
const load = (half: string) =>
  z.object({ half: z.string(), cases: z.array(Case) }).parse(JSON.parse(readFileSync(path.join(DIR, half, 'cases.json'), 'utf8'))).cases;
const manifest = z
  .object({ measured: z.object({ file: z.string(), sha256: z.string(), injections: z.number(), benign: z.number() }) })
  .parse(JSON.parse(readFileSync(path.join(DIR, 'MANIFEST.json'), 'utf8')));

describe('injection corpus', () => {
  it('the measured half is byte-for-byte the file committed before the detector (hash in the manifest)', () => {
    const bytes = readFileSync(path.join(DIR, manifest.measured.file));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.measured.sha256);
    const cases = load('measured');
    expect(cases.filter((c) => c.expect === 'flag')).toHaveLength(manifest.measured.injections);
    expect(cases.filter((c) => c.expect === 'clean')).toHaveLength(manifest.measured.benign);
  });

  it('has at least 40 injections over both halves, spread over the carriers the issue names, with unique ids', () => {
    const all = [...load('measured'), ...load('tuning')];
    expect(all.filter((c) => c.expect === 'flag').length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const carriers = new Set(all.filter((c) => c.expect === 'flag').map((c) => c.carrier));
    for (const c of [
      'code-comment',
      'docstring',
      'readme',
      'rule-file',
      'job-log',
      'markdown-link',
      'html-comment',
      'web-page',
      'tool-output',
    ])
      expect(carriers).toContain(c);
  });

  it('flags every tuning injection and none of the tuning look-alikes', () => {
    const wrong = load('tuning')
      .filter((c) => detectInjection(c.text).flagged !== (c.expect === 'flag'))
      .map((c) => c.id);
    expect(wrong).toEqual([]);
  });

  it('keeps its measured-half figures (a regression guard; the figures themselves come from npm run bench:injection)', () => {
    const cases = load('measured');
    const hits = cases.filter((c) => c.expect === 'flag' && detectInjection(c.text).flagged).length;
    const falseFlags = cases.filter((c) => c.expect === 'clean' && detectInjection(c.text).flagged).length;
    expect(hits).toBeGreaterThanOrEqual(MEASURED_HITS_FLOOR);
    expect(falseFlags).toBeLessThanOrEqual(MEASURED_FALSE_FLAGS_CEILING);
  });
});

/** The first measured run (24/24 injections flagged, 0/10 look-alikes); the measured half was never used to tune. */
const MEASURED_HITS_FLOOR = 24;
const MEASURED_FALSE_FLAGS_CEILING = 0;
