// Finds base64 runs in text that decode to readable UTF-8 prose, so the rules can read what an encoded payload says.

export interface DecodedRun {
  /** Offsets of the run in the text it was found in. */
  start: number;
  end: number;
  decoded: string;
}

/** 24+ base64 characters (18+ bytes: short runs are identifiers and hashes) with optional padding. */
const RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
/** Stop decoding absurdly long runs (embedded images): their prefix is enough to tell prose from binary. */
const MAX_RUN = 64 * 1024;

/** Prose: valid UTF-8, almost no control characters, and some spaces (words) — a PNG or a key is none of these. */
function isProse(s: string): boolean {
  if (s.length < 12 || s.includes('\uFFFD')) return false;
  let control = 0;
  let spaces = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) control++;
    else if (c === 0x20) spaces++;
  }
  return control === 0 && spaces >= 2 && spaces / s.length > 0.05;
}

/** The decodable prose runs of `text`, in order. Runs that decode to binary, JSON headers or gibberish are skipped. */
export function decodeBase64Runs(text: string): DecodedRun[] {
  const out: DecodedRun[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[0].slice(0, MAX_RUN);
    // A URL path or a long identifier is base64-alphabet too; real payloads mix cases and digits.
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
    const body = run.replace(/=+$/, '');
    if (body.length % 4 === 1) continue;
    const decoded = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (isProse(decoded)) out.push({ start: m.index, end: m.index + m[0].length, decoded });
  }
  return out;
}
