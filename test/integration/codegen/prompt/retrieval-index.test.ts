// Retrieved context from the real project index (DB + index workers, BM25): the chunk that names the request's
// function and a repo-map slice reach the prompt, inside the budget, listed in the split.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemblePrompt } from '../../../../main/services/codegen/prompt';
import { cachedCounter, messagesTokens } from '../../../../main/services/codegen/prompt/budget';
import { charCounter } from '../../../unit/codegen/prompt/helpers';
import { makeHarness, writeFixtureProject, type Harness } from '../../projects/harness';

describe('prompt retrieval from the real project index', () => {
  let h: Harness;
  let root = '';
  let projectId = '';
  beforeAll(async () => {
    h = await makeHarness({ vectors: false, watch: false });
    root = path.join(h.dir, 'fixture');
    mkdirSync(root);
    writeFixtureProject(root);
    projectId = (await h.service.add({ path: root })).id;
    expect((await h.service.index(projectId, () => undefined)).phase).toBe('done');
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  it('puts the matching chunk and the repo map in the prompt within the budget', async () => {
    const input = {
      type: 'function',
      language: 'python',
      prompt: 'Write apply_discount(lines, percent) next to total_invoice_amount that reuses it',
      project: { id: projectId, root },
      contextTokens: 2048,
      reservedForAnswer: 512,
    } as const;
    const p = await assemblePrompt(input, { countTokens: charCounter, retrieve: (id, q, budget) => h.service.retrieve(id, q, budget) });
    const parts = Object.fromEntries(p.budget.parts.map((x) => [x.name, x]));
    expect(parts.retrieved!.items[0]).toMatch(/^tools\/invoice\.py:\d+-\d+$/);
    expect(p.messages[1]!.content).toContain('def total_invoice_amount(lines):');
    expect(parts.repoMap!.tokens).toBeGreaterThan(0);
    expect(await messagesTokens(p.messages, cachedCounter(charCounter))).toBeLessThanOrEqual(2048 - 512);
    // A tight budget keeps the task and drops the context, never the other way round.
    const tight = await assemblePrompt(
      { ...input, contextTokens: 700 },
      { countTokens: charCounter, retrieve: (id, q, budget) => h.service.retrieve(id, q, budget) },
    );
    expect(tight.budget.used).toBeLessThanOrEqual(700 - 512);
    expect(tight.messages[1]!.content).toContain('Write apply_discount(lines, percent)');
  }, 60_000);
});
