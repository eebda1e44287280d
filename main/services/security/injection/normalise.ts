// Normalises untrusted text for the injection rules: NFKC, invisible and bidi characters stripped (and counted),
// Unicode tag characters decoded to the ASCII they hide, HTML entities decoded, mixed-script homoglyph words folded
// to Latin — keeping, for every normalised UTF-16 unit, the original span it came from (hits point at the raw text).

/** What normalisation saw that is itself suspicious, with original offsets. */
export interface UnicodeSignals {
  /** Zero-width characters between two ASCII letters or digits (splitting an English word so a filter misses it). */
  zeroWidthInWords: { start: number; end: number }[];
  /** Bidi overrides U+202D/U+202E (Trojan Source) and embeddings/isolates U+202A-C, U+2066-9. */
  bidiOverrides: { start: number; end: number }[];
  bidiIsolates: { start: number; end: number }[];
  /** Runs of Unicode tag characters (U+E0000 block) that are not an emoji flag sequence, with the ASCII they hide. */
  tagRuns: { start: number; end: number; hidden: string }[];
  /** Words mixing Latin with Cyrillic or Greek letters (homoglyph spoofing), folded to Latin in `text`. */
  mixedScriptWords: { start: number; end: number; word: string }[];
  /** Runs of numeric HTML entities that encode plain letters (legitimate HTML rarely spells words that way). */
  entityRuns: { start: number; end: number }[];
}

export interface Normalised {
  text: string;
  /** origStart[i] / origEnd[i]: the original span of normalised unit i. */
  origStart: Int32Array;
  origEnd: Int32Array;
  signals: UnicodeSignals;
}

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e, 0x00ad, 0x034f, 0x3164, 0xffa0]);
const BIDI_OVERRIDE = new Set([0x202d, 0x202e]);
const BIDI_ISOLATE = new Set([0x202a, 0x202b, 0x202c, 0x2066, 0x2067, 0x2068, 0x2069]);
/** Directional marks (RLM/LRM/ALM) are normal in right-to-left text: stripped, never a signal. */
const BIDI_MARK = new Set([0x200e, 0x200f, 0x061c]);

/** Cyrillic and Greek letters that look like Latin ones (the common confusables; enough for spoofed English words). */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  с: 'c',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  С: 'C',
  Е: 'E',
  Н: 'H',
  І: 'I',
  Ј: 'J',
  К: 'K',
  М: 'M',
  О: 'O',
  Р: 'P',
  Ѕ: 'S',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
  υ: 'u',
  χ: 'x',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Χ: 'X',
  Υ: 'Y',
  Ζ: 'Z',
};

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));/y;
/** ASCII letters and digits only: zero-width joiners/non-joiners between letters are normal in Persian, Indic and emoji text. */
const isAsciiAlnum = (cp: number | undefined): boolean =>
  cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a));
const LATIN = /\p{Script=Latin}/u;
const CYR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** True for a well-formed emoji tag sequence (subdivision flags: U+1F3F4, 2-6 lowercase/digit tags, U+E007F). */
function isFlagSequence(tags: number[], prev: number | undefined): boolean {
  if (prev !== 0x1f3f4 || tags.length < 3 || tags.length > 7 || tags.at(-1) !== 0xe007f) return false;
  return tags.slice(0, -1).every((t) => (t >= 0xe0061 && t <= 0xe007a) || (t >= 0xe0030 && t <= 0xe0039));
}

/** Plain ASCII without entities (most source files) needs no work: the identity mapping. */
function identity(raw: string): Normalised {
  const origStart = new Int32Array(raw.length);
  const origEnd = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    origStart[i] = i;
    origEnd[i] = i + 1;
  }
  const signals = { zeroWidthInWords: [], bidiOverrides: [], bidiIsolates: [], tagRuns: [], mixedScriptWords: [], entityRuns: [] };
  return { text: raw, origStart, origEnd, signals };
}

/** Normalises `raw`; linear in its length. */
export function normalise(raw: string): Normalised {
  if (!/[^\t\n\r -~]|&(?:#\d|#x|[a-z]{2,6};)/i.test(raw)) return identity(raw);
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const signals: UnicodeSignals = {
    zeroWidthInWords: [],
    bidiOverrides: [],
    bidiIsolates: [],
    tagRuns: [],
    mixedScriptWords: [],
    entityRuns: [],
  };
  const push = (s: string, start: number, end: number): void => {
    for (let k = 0; k < s.length; k++) {
      out.push(s[k]!);
      starts.push(start);
      ends.push(end);
    }
  };
  let entityRun: { start: number; end: number; letters: number } | null = null;
  const closeEntityRun = (): void => {
    if (entityRun && entityRun.letters >= 4) signals.entityRuns.push({ start: entityRun.start, end: entityRun.end });
    entityRun = null;
  };
  let prevCp: number | undefined;
  let i = 0;
  while (i < raw.length) {
    const cp = raw.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      const runStart = i;
      const tags: number[] = [];
      while (i < raw.length) {
        const t = raw.codePointAt(i)!;
        if (t < 0xe0000 || t > 0xe007f) break;
        tags.push(t);
        i += 2;
      }
      if (!isFlagSequence(tags, prevCp)) {
        const hidden = String.fromCharCode(...tags.filter((t) => t >= 0xe0020 && t <= 0xe007e).map((t) => t - 0xe0000));
        signals.tagRuns.push({ start: runStart, end: i, hidden });
        // The hidden ASCII goes into the text the rules read, pointing at the run; a space keeps words apart.
        push(` ${hidden} `, runStart, i);
      }
      prevCp = tags.at(-1);
      continue;
    }
    if (ZERO_WIDTH.has(cp)) {
      const next = raw.codePointAt(i + w);
      if (isAsciiAlnum(prevCp) && isAsciiAlnum(next)) signals.zeroWidthInWords.push({ start: i, end: i + w });
      i += w;
      continue;
    }
    if (BIDI_OVERRIDE.has(cp) || BIDI_ISOLATE.has(cp) || BIDI_MARK.has(cp)) {
      if (BIDI_OVERRIDE.has(cp)) signals.bidiOverrides.push({ start: i, end: i + w });
      else if (BIDI_ISOLATE.has(cp)) signals.bidiIsolates.push({ start: i, end: i + w });
      i += w;
      continue;
    }
    if (cp === 0x26 /* & */) {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(raw);
      if (m) {
        const decodedCp = m[1] ? Number(m[1]) : m[2] ? parseInt(m[2], 16) : undefined;
        const decoded =
          decodedCp !== undefined && decodedCp > 0 && decodedCp <= 0x10ffff
            ? String.fromCodePoint(decodedCp)
            : NAMED_ENTITIES[m[3]!.toLowerCase()];
        if (decoded !== undefined) {
          const end = i + m[0].length;
          if (decodedCp !== undefined && /[A-Za-z]/.test(decoded)) {
            if (entityRun && entityRun.end >= i - 1) {
              entityRun.end = end;
              entityRun.letters++;
            } else {
              closeEntityRun();
              entityRun = { start: i, end, letters: 1 };
            }
          }
          push(decoded.normalize('NFKC'), i, end);
          prevCp = decoded.codePointAt(0);
          i = end;
          continue;
        }
      }
    }
    if (entityRun && i > entityRun.end + 1) closeEntityRun();
    const ch = String.fromCodePoint(cp);
    push(cp < 0x80 ? ch : ch.normalize('NFKC'), i, i + w);
    prevCp = cp;
    i += w;
  }
  closeEntityRun();
  const joined = out.join('');
  const text = /[\u0370-\u03ff\u0400-\u052f]/.test(joined) ? foldMixedScript(out, starts, signals) : joined;
  return { text, origStart: Int32Array.from(starts), origEnd: Int32Array.from(ends), signals };
}

/** Folds confusable letters to Latin inside words that mix Latin with Cyrillic/Greek (whole-script words stay as they are). */
function foldMixedScript(units: string[], starts: number[], signals: UnicodeSignals): string {
  const text = units.join('');
  // Units are one UTF-16 unit each; words here are letter runs in the BMP (the confusables are all BMP).
  const word = /[\p{L}\p{M}]+/gu;
  for (const m of text.matchAll(word)) {
    const w = m[0];
    if (!LATIN.test(w) || !CYR_GREEK.test(w)) continue;
    let folded = false;
    for (let k = 0; k < w.length; k++) {
      const f = CONFUSABLES[w[k]!];
      if (f) {
        units[m.index + k] = f;
        folded = true;
      }
    }
    if (folded) signals.mixedScriptWords.push({ start: starts[m.index]!, end: starts[m.index + w.length - 1]! + 1, word: w });
  }
  return units.join('');
}
