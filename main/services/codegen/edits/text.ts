// Text helpers shared by the edit stages: lines with their own endings, BOM, dominant line ending, strict UTF-8.
import { createHash } from 'node:crypto';
import { EvolveError } from '../../../../common/errors';

export const BOM = '\uFEFF';

export type Eol = '\r\n' | '\n' | '\r' | '';

/** A text split into lines, each with the exact ending it had ('' only for a last line without one). */
export interface SplitText {
  bom: boolean;
  lines: string[];
  eols: Eol[];
}

/** Splits text into lines keeping every line's own ending, so untouched lines can be written back byte for byte. */
export function splitLines(text: string): SplitText {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const lines: string[] = [];
  const eols: Eol[] = [];
  const re = /\r\n|\n|\r/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    lines.push(body.slice(last, m.index));
    eols.push(m[0] as Eol);
    last = m.index + m[0].length;
  }
  if (last < body.length) {
    lines.push(body.slice(last));
    eols.push('');
  }
  return { bom, lines, eols };
}

export function joinLines(t: SplitText): string {
  let out = t.bom ? BOM : '';
  for (let i = 0; i < t.lines.length; i++) out += `${t.lines[i]!}${t.eols[i]!}`;
  return out;
}

/** The most common line ending of a text ('\n' for a text without any), used for lines the edit adds. */
export function dominantEol(eols: readonly Eol[]): Exclude<Eol, ''> {
  const counts = { '\r\n': 0, '\n': 0, '\r': 0 };
  for (const e of eols) if (e) counts[e]++;
  if (counts['\r\n'] > counts['\n'] && counts['\r\n'] >= counts['\r']) return '\r\n';
  if (counts['\r'] > counts['\n'] && counts['\r'] > counts['\r\n']) return '\r';
  return '\n';
}

/** The text as the model sees it: no BOM, LF endings. */
export function toModelText(text: string): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  return body.replace(/\r\n|\r/g, '\n');
}

/** Puts a model-side (LF, no BOM) text back into the file's conventions: its BOM and its dominant line ending. */
export function fromModelText(modelText: string, like: string): string {
  const { bom, eols } = splitLines(like);
  const eol = dominantEol(eols);
  const body = eol === '\n' ? modelText : modelText.replace(/\n/g, eol);
  return (bom ? BOM : '') + body;
}

/** Decodes UTF-8 strictly, keeping a BOM; binary or invalid bytes are a typed error, never mangled text. */
export function decodeUtf8(bytes: Uint8Array, path = 'file'): string {
  if (bytes.includes(0)) throw new EvolveError('INVALID_ARGUMENT', `${path} looks binary (it contains NUL bytes)`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new EvolveError('INVALID_ARGUMENT', `${path} is not valid UTF-8 text`);
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
