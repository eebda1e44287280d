// detectInjection(text): deterministic prompt-injection detector. Normalises the text, runs the text rules, the
// line-scoped exfiltration rule and the Unicode/encoding signals, and returns every hit (original offsets, a reason)
// with a score; 1.0 or more flags the text. No model in the loop: same input, same verdict, fast enough for a project.
import type { InjectionHit } from '../../../../common/security/injection';
import { decodeBase64Runs } from './decode';
import { normalise, type Normalised } from './normalise';
import { MARKDOWN_IMAGE_PLACEHOLDER, SEND_VERB, SENSITIVE, TEXT_RULES, URL_OR_HOST, type TextRule } from './text-rules';

export interface InjectionReport {
  flagged: boolean;
  /** Sum over distinct rules of each rule's heaviest hit. */
  score: number;
  hits: InjectionHit[];
}

export const FLAG_THRESHOLD = 1;
/** Texts are scanned up to this many characters (a rule file or chunk is far smaller; a huge log is cut, said in a hit). */
export const MAX_SCAN_CHARS = 512 * 1024;
const EXCERPT_MAX = 160;
const QUOTE_OPEN = new Set(['"', "'", '`', '“', '‘', '«', '„']);
const QUOTE_CLOSE = /^[\s.,;:!?]{0,2}["'`”’»]/u;

const excerptOf = (s: string): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_MAX ? `${flat.slice(0, EXCERPT_MAX - 1)}…` : flat;
};

/** The line of `text` around `index` (for the template exemption). */
function lineAt(text: string, index: number): string {
  const from = text.lastIndexOf('\n', index - 1) + 1;
  const to = text.indexOf('\n', index);
  return text.slice(from, to === -1 ? text.length : to);
}

/** True when the match is wrapped in quotes: a document talking about the phrase, not the phrase talking to the model. */
function isQuoted(text: string, start: number, end: number): boolean {
  let k = start - 1;
  while (k >= 0 && text[k] === ' ') k--;
  return k >= 0 && QUOTE_OPEN.has(text[k]!) && QUOTE_CLOSE.test(text.slice(end, end + 4));
}

interface Located {
  start: number;
  end: number;
}
type Mapper = (start: number, end: number) => Located;

export interface DetectOptions {
  /** Rule ids to skip (ablation in tests: each rule must be the reason some case is flagged). */
  disabledRules?: ReadonlySet<string>;
}
const NONE: ReadonlySet<string> = new Set();

function runTextRules(text: string, map: Mapper, out: InjectionHit[], off: ReadonlySet<string>, prefix = ''): void {
  for (const rule of TEXT_RULES) if (!off.has(rule.id)) applyRule(rule, text, map, out, prefix);
  // Exfiltration: a send verb, a URL and something worth stealing on the same line.
  let lineStart = 0;
  for (const line of off.has('exfiltration') ? [] : text.split('\n')) {
    // The verb and the data must be in the prose, not inside the URL ("…/#include-credentials").
    const prose = line.replace(/https?:\/\/\S+/gi, ' ');
    if (URL_OR_HOST.test(line) && SEND_VERB.test(prose) && SENSITIVE.test(prose)) {
      const at = map(lineStart, lineStart + line.length);
      out.push({
        rule: `${prefix}exfiltration`,
        family: 'exfiltration',
        weight: 1,
        reason: `${prefix ? 'encoded: ' : ''}asks to send private data (keys, files, the conversation) to a URL`,
        ...at,
        excerpt: excerptOf(line),
      });
    }
    lineStart += line.length + 1;
  }
  for (const m of off.has('markdown-image-exfiltration') ? [] : text.matchAll(MARKDOWN_IMAGE_PLACEHOLDER)) {
    out.push({
      rule: `${prefix}markdown-image-exfiltration`,
      family: 'markdown-image',
      weight: 1,
      reason: 'an image URL with a placeholder for the model to fill: rendering it sends the data',
      ...map(m.index, m.index + m[0].length),
      excerpt: excerptOf(m[0]),
    });
  }
}

function applyRule(rule: TextRule, text: string, map: Mapper, out: InjectionHit[], prefix: string): void {
  rule.pattern.lastIndex = 0;
  for (const m of text.matchAll(rule.pattern)) {
    const start = m.index;
    const end = start + m[0].length;
    if (rule.templateExempt && /\{\{|\{%|chat_template/.test(lineAt(text, start))) continue;
    const quoted = rule.quotable === true && isQuoted(text, start, end);
    out.push({
      rule: `${prefix}${rule.id}`,
      family: prefix ? 'encoded' : rule.family,
      weight: quoted ? Math.min(rule.weight, 0.2) : rule.weight,
      reason: `${prefix ? 'encoded: ' : ''}${rule.reason}${quoted ? ' (quoted: reads as a mention)' : ''}`,
      ...map(start, end),
      excerpt: excerptOf(m[0]),
    });
  }
}

function unicodeHits(n: Normalised, out: InjectionHit[], off: ReadonlySet<string>): void {
  const before = out.length;
  const s = n.signals;
  for (const t of s.tagRuns) {
    out.push({
      rule: 'tag-characters',
      family: 'tag-chars',
      weight: 1,
      reason: 'invisible Unicode tag characters hide text (ASCII smuggling)',
      start: t.start,
      end: t.end,
      excerpt: excerptOf(t.hidden),
    });
  }
  if (s.bidiOverrides.length) {
    const f = s.bidiOverrides[0]!;
    out.push({
      rule: 'bidi-override',
      family: 'bidi',
      weight: 1,
      reason: `bidirectional override characters reorder what is shown (Trojan Source; ${s.bidiOverrides.length} found)`,
      start: f.start,
      end: f.end,
      excerpt: 'U+202D/U+202E',
    });
  }
  if (s.bidiIsolates.length >= 2) {
    const f = s.bidiIsolates[0]!;
    out.push({
      rule: 'bidi-isolate',
      family: 'bidi',
      weight: 0.5,
      reason: `bidirectional embedding/isolate characters (${s.bidiIsolates.length})`,
      start: f.start,
      end: f.end,
      excerpt: 'U+202A-C/U+2066-9',
    });
  }
  if (s.zeroWidthInWords.length >= 3) {
    const f = s.zeroWidthInWords[0]!;
    out.push({
      rule: 'zero-width-in-words',
      family: 'invisible',
      weight: 0.6,
      reason: `zero-width characters split words (${s.zeroWidthInWords.length}): text the user cannot see as the model reads it`,
      start: f.start,
      end: s.zeroWidthInWords.at(-1)!.end,
      excerpt: `${s.zeroWidthInWords.length} invisible characters`,
    });
  }
  if (s.mixedScriptWords.length) {
    const f = s.mixedScriptWords[0]!;
    out.push({
      rule: 'homoglyph-words',
      family: 'homoglyph',
      weight: s.mixedScriptWords.length >= 2 ? 0.6 : 0.3,
      reason: `words mix Latin with Cyrillic/Greek look-alike letters (${s.mixedScriptWords.length})`,
      start: f.start,
      end: s.mixedScriptWords.at(-1)!.end,
      excerpt: excerptOf(s.mixedScriptWords.map((w) => w.word).join(' ')),
    });
  }
  for (const e of s.entityRuns) {
    out.push({
      rule: 'html-entity-letters',
      family: 'html-entity',
      weight: 0.5,
      reason: 'plain letters spelled as numeric HTML entities (hides words from a reader of the source)',
      start: e.start,
      end: e.end,
      excerpt: 'numeric entities',
    });
  }
  const kept = out.splice(before).filter((h) => !off.has(h.rule));
  out.push(...kept);
}

/** Scores hits: each rule counts once, at its heaviest hit. */
export function scoreHits(hits: readonly InjectionHit[]): number {
  const best = new Map<string, number>();
  for (const h of hits) best.set(h.rule, Math.max(best.get(h.rule) ?? 0, h.weight));
  let sum = 0;
  for (const w of best.values()) sum += w;
  return Math.round(sum * 100) / 100;
}

/** Scans `raw` and returns the report. Pure and deterministic. */
export function detectInjection(raw: string, opts: DetectOptions = {}): InjectionReport {
  const off = opts.disabledRules ?? NONE;
  const text = raw.length > MAX_SCAN_CHARS ? raw.slice(0, MAX_SCAN_CHARS) : raw;
  const n = normalise(text);
  const hits: InjectionHit[] = [];
  const map: Mapper = (start, end) => ({
    start: n.origStart[start] ?? text.length,
    end: end > start ? (n.origEnd[end - 1] ?? text.length) : (n.origStart[start] ?? text.length),
  });
  runTextRules(n.text, map, hits, off);
  unicodeHits(n, hits, off);
  // Encoded payloads: what a base64 run says is read by the same rules and counts against the run.
  for (const run of off.has('base64') ? [] : decodeBase64Runs(n.text)) {
    const at = map(run.start, run.end);
    const inner: InjectionHit[] = [];
    runTextRules(normalise(run.decoded).text, () => at, inner, off, 'base64:');
    hits.push(...inner.map((h) => ({ ...h, excerpt: excerptOf(run.decoded) })));
  }
  hits.sort((a, b) => a.start - b.start || b.weight - a.weight);
  const score = scoreHits(hits);
  return { flagged: score >= FLAG_THRESHOLD, score, hits };
}
