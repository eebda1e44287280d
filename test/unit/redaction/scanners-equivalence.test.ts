// The linear scanners find exactly what the old backtracking patterns found: a seeded differential fuzz over short
// strings built from the tokens that matter to each detector (the old patterns are kept here as the reference).
import { describe, expect, it } from 'vitest';
import { DETECTORS, type RedactionKind } from '../../../native/redact/patterns';

/** The pre-rewrite patterns (quadratic on long inputs, fine on these short ones). */
const CODE_VALUE =
  /^(?:null|none|nil|undefined|true|false|required|optional|string|str|bytes|number|int|bool|boolean|any|unknown|object|secret|password|token|changeme|xxx+|\*+|<[^>]*>|\$\{?.*|\{\{.*|%\(.*|process\.env.*|os\.environ.*|env\(.*)$/i;
function looksLikeCode(v: string): boolean {
  if (CODE_VALUE.test(v)) return true;
  if (/[()[\]<>{}]/.test(v)) return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v)) return true;
  if (/^[A-Za-z_$][\w$]*$/.test(v) && /[a-z][A-Z]|_[a-z]/.test(v) && !/\d/.test(v)) return true;
  return false;
}
interface OldDetector {
  re: RegExp;
  group: number;
  accept?: (v: string, m: RegExpExecArray, input: string) => boolean;
  kindOf?: (m: RegExpExecArray) => RedactionKind;
}
const OLD: Partial<Record<RedactionKind, OldDetector>> = {
  PRIVATE_KEY: {
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
  },
  URL_PASSWORD: { re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*:([^\s@/"'`]+)@/gi, group: 1 },
  JWT: { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, group: 0 },
  SECRET: {
    re: /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key))(["']?)(\s*(?::|=|:=)\s*|\s+)(["'`]?)([^\s"'`,;]{4,})\4/gi,
    group: 5,
    accept: (v, m, input) => {
      const name = m[1] ?? '';
      if (m[3] !== undefined && !/[:=]/.test(m[3]) && !/^-{1,2}/.test(name)) return false;
      if (/public/i.test(name)) return false;
      if (v.startsWith('[REDACTED_')) return false;
      const quoted = (m[4] ?? '') !== '';
      if (quoted) return !CODE_VALUE.test(v) && !/^\$\{|^\{\{/.test(v);
      if (looksLikeCode(v)) return false;
      const rest = input.slice(m.index + m[0].length).split('\n', 1)[0] ?? '';
      if (/^[A-Za-z]+$/.test(v) && /\S/.test(rest)) return false;
      return true;
    },
    kindOf: (m) => (/pass|pwd/i.test(m[1] ?? '') ? 'PASSWORD' : 'SECRET'),
  },
  EMAIL: {
    re: /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b/g,
    group: 0,
    accept: (v) => !/^git@/i.test(v),
  },
};

function oldHits(d: OldDetector, kind: RedactionKind, input: string): string[] {
  const out: string[] = [];
  d.re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = d.re.exec(input)) !== null) {
    const value = m[d.group];
    if (value === undefined || value.length === 0) continue;
    if (d.accept && !d.accept(value, m, input)) continue;
    const start = m.index + (d.group === 0 ? 0 : m[0].lastIndexOf(value));
    out.push(`${d.kindOf ? d.kindOf(m) : kind}@${start}:${start + value.length}`);
  }
  return out;
}

const newHits = (kind: RedactionKind, input: string) =>
  [...(DETECTORS.find((d) => d.kind === kind)?.scan(input) ?? [])].map((h) => `${h.kind}@${h.start}:${h.end}`);

/** Tokens per detector: the characters and words its pattern reacts to. */
const TOKENS: Partial<Record<RedactionKind, string[]>> = {
  SECRET: [
    'password',
    'token',
    'api_key',
    'Secret',
    'public',
    '--',
    '-',
    '_',
    '.',
    'a',
    'x1',
    '=',
    ':',
    ':=',
    ' ',
    '  ',
    '\n',
    '"',
    "'",
    '`',
    ',',
    ';',
    'abcd',
    'hunter2',
    'null',
    '${X}',
    'self.tok',
    'getX()',
    'camelCase',
    'AbC',
  ],
  EMAIL: ['a', 'b1', '.', '_', '-', '+', '%', '@', 'com', 'io', ' ', 'git', 'x-y', '..', '1'],
  JWT: ['eyJ', 'abcdefgh', 'a', '-', '_', '.', ' ', 'x', '12345678'],
  URL_PASSWORD: ['https', 'a', '.', '+', '-', '://', ':', '@', '/', 'u', 'p', ' ', '"', '1', '_'],
  PRIVATE_KEY: ['-----BEGIN ', '-----END ', 'PRIVATE KEY', 'RSA ', 'A ', '-----', 'x', '\n', ' BLOCK'],
};

/** Small deterministic PRNG so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('linear scanners vs the old patterns', () => {
  for (const [kind, tokens] of Object.entries(TOKENS) as [RedactionKind, string[]][]) {
    it(`${kind}: same hits on 3000 random token strings`, () => {
      const rand = rng(kind.length * 7919);
      const diffs: string[] = [];
      for (let i = 0; i < 3000 && diffs.length < 5; i++) {
        const n = 1 + Math.floor(rand() * 14);
        let text = '';
        for (let j = 0; j < n; j++) text += tokens[Math.floor(rand() * tokens.length)];
        const a = oldHits(OLD[kind] as OldDetector, kind, text);
        const b = newHits(kind, text);
        if (a.join() !== b.join()) diffs.push(`${JSON.stringify(text)}: old ${a.join()} new ${b.join()}`);
      }
      expect(diffs).toEqual([]);
    });
  }
});
