// Keeps bench/index-questions.json honest: every answer file exists in the pinned tree, there are >= 25
// questions, and the >= half marked `noIdentifiers` really use no identifier of the answer file's code.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../native/index/chunker';
import { languageForPath } from '../../../native/index/languages';

const ROOT = path.resolve(__dirname, '../../..');
const spec = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'index-questions.json'), 'utf8')) as {
  tree: { packages: Record<string, string> };
  questions: { id: string; question: string; file: string; accept?: string[]; noIdentifiers: boolean }[];
};

/** Every identifier-like leaf of the file's syntax tree (names of variables, properties, types, labels). */
async function identifiersOf(rel: string, text: string): Promise<Set<string>> {
  const lang = languageForPath(rel);
  if (!lang) throw new Error(`no grammar for ${rel}`);
  const parsed = await parseSource(lang, text);
  if ('error' in parsed) throw new Error(parsed.error);
  const out = new Set<string>();
  const visit = (n: Node) => {
    if (n.type.endsWith('identifier') && n.childCount === 0) out.add(n.text.toLowerCase());
    for (const k of n.children) if (k) visit(k);
  };
  visit(parsed.tree.rootNode);
  parsed.tree.delete();
  return out;
}

describe('bench/index-questions.json', () => {
  it('has >= 25 questions, half without identifiers, over installed pinned packages', () => {
    expect(spec.questions.length).toBeGreaterThanOrEqual(25);
    expect(spec.questions.filter((q) => q.noIdentifiers).length * 2).toBeGreaterThanOrEqual(spec.questions.length);
    expect(new Set(spec.questions.map((q) => q.id)).size).toBe(spec.questions.length);
    for (const [name, version] of Object.entries(spec.tree.packages)) {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      expect(pkg.version, name).toBe(version);
    }
    for (const q of spec.questions)
      for (const f of [q.file, ...(q.accept ?? [])]) expect(existsSync(path.join(ROOT, 'node_modules', f)), f).toBe(true);
  });

  it.each(spec.questions.filter((q) => q.noIdentifiers))('$id uses no identifier of $file', async (q) => {
    const ids = await identifiersOf(q.file, readFileSync(path.join(ROOT, 'node_modules', q.file), 'utf8'));
    // One- and two-letter words ("a", "N") are English here, not the file's loop counters.
    const words = (q.question.toLowerCase().match(/[a-z_$][a-z0-9_$]*/g) ?? []).filter((w) => w.length >= 3);
    expect(words.filter((w) => ids.has(w))).toEqual([]);
  });
});
