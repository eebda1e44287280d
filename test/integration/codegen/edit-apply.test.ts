// An edit request end to end on a real multi-file Python project: SEARCH/REPLACE answer → (failed block goes back,
// corrected answer) → diffs → accept hunks → safe writes on disk → the project's own tests pass; partial accept keeps
// every other byte. The model answers are written here (deterministic); the model itself is not run in this test.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvolveError } from '../../../common/errors';
import { applyEditBlocks, diffFiles, parseEditBlocks, type FileMap } from '../../../main/services/codegen/edits';
import { applyAcceptedHunks } from '../../../main/services/workspace/apply-diffs';

const F = '```';

// A small shop package: prices in cents, a CRLF file with a BOM, an executable script, and unittest tests that
// expect a discount feature the project does not have yet.
const FIXTURE: Record<string, string> = {
  'shop/__init__.py': '',
  'shop/cart.py':
    'from shop.pricing import line_total\n\n\nclass Cart:\n    def __init__(self):\n        self.items = []\n\n    def add(self, name, cents, qty=1):\n        self.items.append((name, cents, qty))\n\n    def total(self):\n        return sum(line_total(c, q) for _, c, q in self.items)\n',
  'shop/pricing.py': '\uFEFF"""Prices in cents."""\r\n\r\n\r\ndef line_total(cents, qty):\r\n    return cents * qty\r\n',
  'tools/run.sh': '#!/bin/sh\npython3 -m unittest discover -s tests -t .\n',
  'tests/__init__.py': '',
  'tests/test_cart.py':
    'import unittest\n\nfrom shop.cart import Cart\n\n\nclass CartTest(unittest.TestCase):\n    def test_total(self):\n        c = Cart()\n        c.add("pen", 150, 2)\n        self.assertEqual(c.total(), 300)\n\n    def test_discount(self):\n        c = Cart()\n        c.add("pen", 1000, 1)\n        self.assertEqual(c.total(discount_percent=10), 900)\n',
};

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'evolve-edit-apply-'));
  for (const [rel, text] of Object.entries(FIXTURE)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  await chmod(join(root, 'tools/run.sh'), 0o755);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function runTests(): { ok: boolean; out: string } {
  try {
    const out = execFileSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 60_000,
    });
    return { ok: true, out };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: string }).stderr ?? e) };
  }
}

async function readProject(): Promise<FileMap> {
  const out: Record<string, string> = {};
  for (const rel of Object.keys(FIXTURE)) out[rel] = await readFile(join(root, rel), 'utf8');
  return out;
}

/** First answer: the cart block is right; the pricing block quotes the function wrongly (as small models do). */
const FIRST_ANSWER = `I'll add a discount to the cart total and a helper in pricing.

shop/cart.py
${F}python
<<<<<<< SEARCH
    def total(self):
        return sum(line_total(c, q) for _, c, q in self.items)
=======
    def total(self, discount_percent=0):
        subtotal = sum(line_total(c, q) for _, c, q in self.items)
        return apply_discount(subtotal, discount_percent)
>>>>>>> REPLACE
${F}

shop/cart.py
${F}python
<<<<<<< SEARCH
from shop.pricing import line_total
=======
from shop.pricing import apply_discount, line_total
>>>>>>> REPLACE
${F}

shop/pricing.py
${F}python
<<<<<<< SEARCH
def line_total(price, quantity):
    return price * quantity
=======
def line_total(cents, qty):
    return cents * qty


def apply_discount(cents, percent):
    return cents - cents * percent // 100
>>>>>>> REPLACE
${F}
`;

/** The corrected block the model sends back after the "did you mean" message. */
const REPAIR_ANSWER = `shop/pricing.py
${F}python
<<<<<<< SEARCH
def line_total(cents, qty):
    return cents * qty
=======
def line_total(cents, qty):
    return cents * qty


def apply_discount(cents, percent):
    return cents - cents * percent // 100
>>>>>>> REPLACE
${F}
`;

describe('edit request on a multi-file project', () => {
  it('a failing SEARCH block goes back with "did you mean", the repaired edit is applied and the tests pass', async () => {
    expect(runTests().ok).toBe(false); // the discount test fails before the edit

    const original = await readProject();
    const first = applyEditBlocks(original, parseEditBlocks(FIRST_ANSWER));
    expect(first.applied.map((a) => a.path)).toEqual(['shop/cart.py', 'shop/cart.py']);
    expect(first.failed).toEqual([expect.objectContaining({ path: 'shop/pricing.py', reason: 'no-match' })]);
    expect(first.feedback).toContain('Did you mean to match some of these actual lines from shop/pricing.py?');
    expect(first.feedback).toContain('def line_total(cents, qty):');
    expect(first.feedback).toMatch(/The other 2 SEARCH\/REPLACE blocks were applied successfully/);

    // Round 2 works on the round-1 result (the applied blocks are not re-sent).
    const second = applyEditBlocks({ ...original, ...first.files }, parseEditBlocks(REPAIR_ANSWER));
    expect(second.failed).toEqual([]);
    const after = { ...original, ...first.files, ...second.files };

    const diffs = diffFiles(original, after);
    expect(diffs.map((d) => d.path)).toEqual(['shop/cart.py', 'shop/pricing.py']);
    const all = diffs.flatMap((d) => d.hunks.map((h) => h.id));
    const { written } = await applyAcceptedHunks(root, diffs, all);
    expect(written.map((w) => w.path)).toEqual(['shop/cart.py', 'shop/pricing.py']);

    const r = runTests();
    expect(r.ok, r.out).toBe(true);
    // pricing.py kept its BOM and CRLF endings, including on the added lines.
    const pricing = await readFile(join(root, 'shop/pricing.py'), 'utf8');
    expect(pricing.startsWith('\uFEFF')).toBe(true);
    expect(pricing.replace(/\r\n/g, '')).not.toContain('\n');
    expect(pricing).toContain('def apply_discount(cents, percent):\r\n');
  });

  it('accepting only some hunks changes only those lines; a file edited meanwhile is a conflict with nothing written', async () => {
    const original = await readProject();
    const edited = applyEditBlocks(original, parseEditBlocks(FIRST_ANSWER.split('shop/pricing.py')[0]!));
    const diffs = diffFiles(original, edited.files);
    const cart = diffs.find((d) => d.path === 'shop/cart.py')!;
    expect(cart.hunks.length).toBe(2); // the import and total() are far enough apart for two hunks
    const importHunk = cart.hunks.find((h) => h.lines.some((l) => l.startsWith('+from shop.pricing')))!;

    await applyAcceptedHunks(root, diffs, [importHunk.id]);
    const now = await readFile(join(root, 'shop/cart.py'), 'utf8');
    expect(now).toBe(FIXTURE['shop/cart.py']!.replace('import line_total', 'import apply_discount, line_total'));
    expect(await readFile(join(root, 'shop/pricing.py'), 'utf8')).toBe(FIXTURE['shop/pricing.py']);
    expect((await stat(join(root, 'tools/run.sh'))).mode & 0o777).toBe(0o755);

    // The same diffs again: cart.py changed since they were made (by the first apply) → CONFLICT, nothing written.
    try {
      await applyAcceptedHunks(
        root,
        diffs,
        cart.hunks.map((h) => h.id),
      );
      expect.unreachable();
    } catch (e) {
      expect(isEvolveError(e) && e.code).toBe('CONFLICT');
    }
    expect(await readFile(join(root, 'shop/cart.py'), 'utf8')).toBe(now);
  });

  it('an edit that targets a path outside the project is refused and nothing is written', async () => {
    const answer = `../../outside.py\n${F}python\n<<<<<<< SEARCH\n=======\nprint("escaped")\n>>>>>>> REPLACE\n${F}\n`;
    const r = applyEditBlocks(await readProject(), parseEditBlocks(answer));
    const diffs = diffFiles(await readProject(), r.files);
    try {
      await applyAcceptedHunks(
        root,
        diffs,
        diffs.flatMap((d) => d.hunks.map((h) => h.id)),
      );
      expect.unreachable();
    } catch (e) {
      expect(isEvolveError(e) && e.code).toBe('FORBIDDEN');
    }
    await expect(stat(join(root, '../../outside.py'))).rejects.toThrow();
  });

  it('bad input: an unknown hunk id, a binary file behind a diff', async () => {
    const original = await readProject();
    const diffs = diffFiles(original, { 'shop/cart.py': original['shop/cart.py'] + 'X = 1\n' });
    const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
      p.then(
        () => undefined,
        (e: unknown) => (isEvolveError(e) ? e.code : 'untyped'),
      );
    expect(await codeOf(applyAcceptedHunks(root, diffs, ['not-a-hunk']))).toBe('INVALID_ARGUMENT');
    // The file became binary but hashes as the diff expects: decoding refuses it rather than mangling bytes.
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]);
    await writeFile(join(root, 'shop/cart.py'), binary);
    const binDiffs = diffs.map((d) => ({ ...d, oldHash: createHash('sha256').update(binary).digest('hex') }));
    expect(
      await codeOf(
        applyAcceptedHunks(
          root,
          binDiffs,
          binDiffs[0]!.hunks.map((h) => h.id),
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect((await readFile(join(root, 'shop/cart.py'))).equals(binary)).toBe(true);
  });
});
