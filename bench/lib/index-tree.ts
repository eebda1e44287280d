// The project-index benchmark's tree (bench/index-questions.json: pinned packages from node_modules, nested
// node_modules and *.map left out), listed in place without copying — for benchmarks that only read it.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { languageForPath } from '../../native/index/languages';

const ROOT = path.resolve(__dirname, '..', '..');

export interface TreeFile {
  /** Path as the index bench's copied tree names it: `<package>/<path inside it>`. */
  rel: string;
  abs: string;
  /** True for files the project index reads as source (what bench:index counts as the ~5,400 source files). */
  source: boolean;
}

/** Every file of the tree; throws when an installed package is not the pinned version (the tree would differ). */
export function listIndexBenchTree(): TreeFile[] {
  const spec = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'index-questions.json'), 'utf8')) as {
    tree: { packages: Record<string, string> };
  };
  const out: TreeFile[] = [];
  for (const [name, version] of Object.entries(spec.tree.packages)) {
    const src = path.join(ROOT, 'node_modules', name);
    const installed = (JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8')) as { version: string }).version;
    if (installed !== version) throw new Error(`${name} is ${installed}, the index bench's tree is pinned to ${version}`);
    const visit = (dir: string, rel: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue;
        const r = `${rel}/${e.name}`;
        if (e.isDirectory()) visit(path.join(dir, e.name), r);
        else if (e.isFile() && !r.endsWith('.map')) out.push({ rel: r, abs: path.join(dir, e.name), source: languageForPath(r) !== null });
      }
    };
    visit(src, name);
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}
