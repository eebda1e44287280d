// Experience learning on the real DB worker (SQLCipher): a rejection reason reaches the next similar prompt, an
// accepted example is retrieved for a similar task and not for an unrelated one, a convention learned from the user's
// edit enters the prompt (marked as learned), follows the user's rewrite and leaves after removal for good; bad edits
// of conventions are typed errors.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvolveError } from '../../../common/errors';
import { CodegenStore } from '../../../main/services/codegen/codegen-store';
import { assemblePrompt, NO_CONVENTIONS } from '../../../main/services/codegen/prompt';
import { SECTION_TITLES } from '../../../main/services/codegen/prompt/sections';
import { UserEditsTracker } from '../../../main/services/workspace/user-edits';
import { charCounter } from '../../unit/codegen/prompt/helpers';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const RETURNS_NONE = `def parse_order_id(text: str) -> int | None:
    if not text.startswith("ORD-"):
        return None
    return int(text[4:])
`;
const RAISES = `def parse_order_id(text: str) -> int:
    if not text.startswith("ORD-"):
        raise ValueError(f"not an order id: {text!r}")
    return int(text[4:])
`;

async function codeOf(e: Promise<unknown>): Promise<string> {
  try {
    await e;
  } catch (err) {
    if (isEvolveError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a typed error');
}

describe('experience learning (real DB worker)', () => {
  const tmp = tempDir('evolve-experience-');
  let s: TestStore;
  let store: CodegenStore;
  let shop: string;
  const warnings: string[] = [];

  async function finished(request: string, code: string, lang: 'python' | 'typescript' = 'python'): Promise<string> {
    const g = await store.create({ projectId: shop, request, type: 'function', lang, model: 'qwen2.5-coder-1.5b' });
    await store.finish({ generationId: g.id, status: 'done', code });
    return g.id;
  }
  const prompt = (text: string, language: 'python' | 'typescript' = 'python') =>
    assemblePrompt(
      { type: 'function', language, prompt: text, project: { id: shop, root: tmp.dir }, contextTokens: 4096, reservedForAnswer: 512 },
      {
        countTokens: charCounter,
        experience: (projectId, t) => store.similarDecisions(projectId, t, 5),
        // The temp dir has no config files: only learned conventions can fill the conventions part.
        conventions: async () => NO_CONVENTIONS,
        rules: async () => [],
      },
    );

  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'exp.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    store = new CodegenStore(s.client, { log: (_l, m) => warnings.push(m) });
    shop = (await s.client.call('project.create', { name: 'shop' })).id;
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('a rejection reason reaches the next similar prompt, and an accepted example is retrieved only for a similar task', async () => {
    const rejected = await finished('slugify a blog post title for its URL', 'def slugify(t):\n    return t.replace(" ", "-")\n');
    await store.reject(rejected, 'keeps punctuation and capitals; must lower-case and strip non-alphanumerics');
    const accepted = await finished(
      'compute the VAT amount for a net price in cents',
      'def vat_cents(net_cents: int, rate_percent: int) -> int:\n    return (net_cents * rate_percent + 50) // 100\n',
    );
    await store.accept(accepted);

    const similar = (await prompt('Write slugify(title) that turns a post title into a URL slug')).messages[1]!.content;
    expect(similar).toContain('- Previously rejected because: keeps punctuation and capitals; must lower-case and strip non-alphanumerics');

    const vat = await prompt('Write a function computing the VAT amount in cents for a net price');
    expect(vat.messages[1]!.content).toContain('return (net_cents * rate_percent + 50) // 100');
    expect(vat.budget.parts.find((p) => p.name === 'experience')!.items).toContain(`accepted:${accepted}`);

    const unrelated = await prompt('Read a YAML file and merge its keys into the environment');
    expect(unrelated.messages[1]!.content).not.toContain('rate_percent + 50');
    expect(unrelated.budget.parts.find((p) => p.name === 'experience')!.items).toEqual([]);
    expect(unrelated.messages[1]!.content).not.toContain('Previously rejected');

    const decisions = await store.decisions(shop);
    expect(decisions.map((d) => [d.generationId, d.decision])).toEqual([
      [accepted, 'accepted'],
      [rejected, 'rejected'],
    ]);
    expect(decisions[1]!.reason).toMatch(/keeps punctuation/);
  });

  it('learns the error style from the user edit, puts it in the prompt, follows a rewrite, and forgets it for good on removal', async () => {
    const gid = await finished('parse an order id like ORD-123 into its number', RETURNS_NONE);
    await store.accept(gid);
    // What the workspace does: the apply is noted, the user's save becomes the generation's user edits.
    const tracker = new UserEditsTracker();
    tracker.noteApplied(shop, gid, [{ path: 'orders.py', text: RETURNS_NONE, hash: 'h0' }]);
    const edits = tracker.onSaved(shop, 'orders.py', 'h0', RAISES, 'h1');
    expect(edits?.generationId).toBe(gid);
    await store.recordUserEdits(gid, edits!.userEdits);

    const learned = await store.conventions(shop);
    const errorStyle = learned.find((c) => c.kind === 'error-style' && c.lang === 'python')!;
    expect(errorStyle).toMatchObject({ value: 'raise', inEffect: true, userEdited: false });
    expect(errorStyle.text).toMatch(/raising an exception \(e\.g\. ValueError\)/);
    expect(errorStyle.sources).toEqual([expect.objectContaining({ generationId: gid, evidence: 'edited' })]);
    // The kept code's `return None` was taken out by the user: no convention says to return None.
    expect(learned.some((c) => c.value === 'return-none')).toBe(false);

    const p1 = await prompt('Write parse_invoice_id(text) for ids like INV-7');
    const user1 = p1.messages[1]!.content;
    expect(user1).toContain(SECTION_TITLES.learnedConventions);
    expect(user1).toContain(`- ${errorStyle.text}`);
    expect(p1.budget.parts.find((p) => p.name === 'conventions')!.items).toContain(`learned:${errorStyle.id}`);
    // A request with no searchable word finds no past decision, but the project's conventions still apply.
    const vague = await prompt('do it');
    expect(vague.messages[1]!.content).toContain(errorStyle.text);
    expect(vague.warnings ?? []).toEqual([]);
    // Learned for Python only: a TypeScript request does not get it.
    expect((await prompt('Write parseInvoiceId(text) for ids like INV-7', 'typescript')).messages[1]!.content).not.toContain(
      errorStyle.text,
    );

    const rewritten = await store.editConvention(errorStyle.id, 'Raise InvalidOrderId (from errors.py) on malformed ids.');
    expect(rewritten).toMatchObject({ userEdited: true, text: 'Raise InvalidOrderId (from errors.py) on malformed ids.' });
    const user2 = (await prompt('Write parse_invoice_id(text) for ids like INV-7')).messages[1]!.content;
    expect(user2).toContain('- Raise InvalidOrderId (from errors.py) on malformed ids.');
    expect(user2).not.toContain(errorStyle.text);

    await store.removeConvention(errorStyle.id);
    const user3 = (await prompt('Write parse_invoice_id(text) for ids like INV-7')).messages[1]!.content;
    expect(user3).not.toContain('InvalidOrderId');
    // Learning again from the same generation does not bring it back; the tombstone keeps its source.
    await store.learnFrom(gid);
    expect((await store.conventions(shop)).some((c) => c.id === errorStyle.id)).toBe(false);
    const all = await store.conventions(shop, true);
    expect(all.find((c) => c.id === errorStyle.id)).toMatchObject({ removed: true, inEffect: false });
    expect((await prompt('Write parse_invoice_id(text) for ids like INV-7')).messages[1]!.content).not.toContain('InvalidOrderId');
    expect(warnings).toEqual([]);
  });

  it('a generation rejected after it was accepted takes back what it taught', async () => {
    const gid = await finished(
      'clamp a percentage',
      'export function clampPercent(value: number): number {\n  if (Number.isNaN(value)) throw new RangeError("NaN");\n  return Math.min(100, Math.max(0, value));\n}\n',
      'typescript',
    );
    await store.accept(gid);
    const taught = (await store.conventions(shop)).filter((c) => c.sources.some((x) => x.generationId === gid));
    expect(taught.map((c) => [c.lang, c.kind, c.value])).toContainEqual(['typescript', 'error-style', 'throw']);
    await store.reject(gid, 'clamping hides bad input; the caller must decide');
    const after = await store.conventions(shop, true);
    expect(after.filter((c) => c.sources.some((x) => x.generationId === gid))).toEqual([]);
    expect(after.some((c) => c.lang === 'typescript' && c.kind === 'error-style')).toBe(false);
  });

  it('bad edits are typed errors and change nothing', async () => {
    const gid = await finished(
      'load settings from a TOML file',
      'def load_settings(path):\n    import tomllib\n    return tomllib.load(open(path, "rb"))\n',
    );
    await store.accept(gid);
    const before = await store.conventions(shop);
    const target = before[0]!;
    expect(await codeOf(store.editConvention(target.id, '   '))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.editConvention(target.id, ''))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.editConvention('no-such-convention', 'Use tabs.'))).toBe('NOT_FOUND');
    expect(await codeOf(store.removeConvention('no-such-convention'))).toBe('NOT_FOUND');
    expect(await store.conventions(shop)).toEqual(before);
    // A removed convention cannot be edited or removed again.
    await store.removeConvention(target.id);
    expect(await codeOf(store.editConvention(target.id, 'Use tabs.'))).toBe('NOT_FOUND');
    expect(await codeOf(store.removeConvention(target.id))).toBe('NOT_FOUND');
    // Learning needs an accepted generation.
    const open = await finished('undecided', 'def x():\n    return 1\n');
    expect(await codeOf(s.client.call('experience.learn', { generationId: open, observations: [] }))).toBe('NOT_FOUND');
  });
});
