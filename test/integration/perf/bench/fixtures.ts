// Code versions and input generators shared by the benchmark harness tests: quadratic vs set-based dedupe in Python
// and TypeScript, and a deliberately slower variant.
import type { CodeVersion, InputGenerator } from '../../../../common/perf/types';

export const PY_QUADRATIC: CodeVersion = {
  language: 'python',
  module: 'lib/dedupe.py',
  function: 'dedupe',
  files: {
    'lib/__init__.py': '',
    'lib/dedupe.py':
      'def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n',
  },
};

export const PY_SET: CodeVersion = {
  ...PY_QUADRATIC,
  files: {
    'lib/__init__.py': '',
    'lib/dedupe.py':
      'def dedupe(xs):\n    seen = set()\n    out = []\n    for x in xs:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out\n',
  },
};

export const PY_INPUTS: InputGenerator = {
  source: 'import random\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(n) for _ in range(n)],)\n',
  sizes: [100, 200, 400],
};

export const TS_QUADRATIC: CodeVersion = {
  language: 'typescript',
  module: 'src/dedupe.ts',
  function: 'Deduper.run',
  files: {
    'src/dedupe.ts':
      'export class Deduper {\n  run(xs: number[]): number[] {\n    const out: number[] = [];\n    for (const x of xs) {\n      let found = false;\n      for (const y of out) if (y === x) { found = true; break; }\n      if (!found) out.push(x);\n    }\n    return out;\n  }\n}\n',
  },
};

export const TS_SET: CodeVersion = {
  ...TS_QUADRATIC,
  files: {
    'src/dedupe.ts':
      'import { uniq } from "./uniq";\nexport class Deduper {\n  run(xs: number[]): number[] {\n    return uniq(xs);\n  }\n}\n',
    'src/uniq.ts': 'export function uniq(xs: number[]): number[] {\n  return [...new Set(xs)];\n}\n',
  },
};

/** The set version doing its work three times: the same output, clearly slower. */
export const TS_SET_SLOWER: CodeVersion = {
  ...TS_QUADRATIC,
  files: {
    'src/dedupe.ts':
      'export class Deduper {\n  run(xs: number[]): number[] {\n    let out: number[] = [];\n    for (let k = 0; k < 3; k++) out = [...new Set(xs)];\n    return out;\n  }\n}\n',
  },
};

export const TS_INPUTS: InputGenerator = {
  source:
    'export function makeInput(n: number, seed: number): unknown[] {\n  let s = seed >>> 0;\n  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;\n  return [Array.from({ length: n }, () => Math.floor(next() * n))];\n}\n',
  sizes: [200, 400, 800],
};
