// Experience in the prompt from the real codegen store (DB worker, SQLCipher): a rejected generation's reason and an
// accepted one's code reach the next similar request's prompt; another project's decisions do not.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodegenStore } from '../../../../main/services/codegen/codegen-store';
import { assemblePrompt } from '../../../../main/services/codegen/prompt';
import { charCounter } from '../../../unit/codegen/prompt/helpers';
import { makeStore, newKey, tempDir, type TestStore } from '../../store/helpers';

describe('prompt experience from the real codegen store', () => {
  const tmp = tempDir('evolve-prompt-exp-');
  let s: TestStore;
  let store: CodegenStore;
  let shop: string;
  let other: string;

  async function decided(
    projectId: string,
    request: string,
    code: string,
    decision: 'accepted' | 'rejected',
    reason: string,
  ): Promise<string> {
    const g = await store.create({ projectId, request, type: 'function', lang: 'python', model: 'qwen2.5-coder-1.5b' });
    await store.finish({ generationId: g.id, status: 'done', code });
    if (decision === 'accepted') await store.accept(g.id, reason);
    else await store.reject(g.id, reason);
    return g.id;
  }

  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'exp.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    store = new CodegenStore(s.client);
    shop = (await s.client.call('project.create', { name: 'shop' })).id;
    other = (await s.client.call('project.create', { name: 'other' })).id;
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('renders rejection reasons and accepted examples of this project only', async () => {
    const rejected = await decided(
      shop,
      'parse a price string into cents',
      'def parse_price(t):\n    return float(t) * 100\n',
      'rejected',
      'float arithmetic loses cents; use Decimal',
    );
    const accepted = await decided(
      shop,
      'parse a price string like "12.50" into integer cents',
      'from decimal import Decimal\n\ndef parse_price(text: str) -> int:\n    return int(Decimal(text) * 100)\n',
      'accepted',
      '',
    );
    await decided(other, 'parse a price string into cents', 'def p(t):\n    return 0\n', 'rejected', 'OTHER PROJECT REASON');

    const p = await assemblePrompt(
      {
        type: 'function',
        language: 'python',
        prompt: 'Write parse_price(text) that turns a price string into cents',
        project: { id: shop, root: tmp.dir },
        contextTokens: 4096,
        reservedForAnswer: 512,
      },
      { countTokens: charCounter, experience: (projectId, text) => store.similarDecisions(projectId, text, 5) },
    );
    const user = p.messages[1]!.content;
    expect(user).toContain('- Previously rejected because: float arithmetic loses cents; use Decimal');
    expect(user).toContain('return int(Decimal(text) * 100)');
    expect(user).not.toContain('OTHER PROJECT REASON');
    expect(p.budget.parts.find((x) => x.name === 'experience')!.items).toEqual([`rejected:${rejected}`, `accepted:${accepted}`]);
  });
});
