// Code-aware FTS terms: every identifier is indexed whole and as its camelCase / snake_case / digit parts, so
// "parse quaternion" finds parseQuaternion and parse_quaternion; queries go through the same split.
import { EvolveError } from '../../../common/errors';

const IDENT = /[\p{L}\p{N}_$]+/gu;
// Boundaries: lower→Upper (fooBar), UPPER→Upper+lower (HTTPServer → HTTP Server), letter↔digit, and _ or $.
const PARTS = /[\p{Lu}]+(?=[\p{Lu}][\p{Ll}])|[\p{Lu}]?[\p{Ll}]+|[\p{Lu}]+|[\p{N}]+|[\p{L}]+/gu;

// Words that say nothing about code in a question; identifiers in code keep them (they are only dropped from queries).
// Pronouns and prepositions added for experience retrieval: "merge its keys" must not match "slugify its title".
const STOP = new Set(
  'a an and are as at be by can do does for from how i in is it of on or the that this to was what when where which who why with'
    .concat(' its into onto their them these those they we you your our my has have had should would could will than also')
    .split(' '),
);

/** The identifier's parts in lower case (empty when it has only one part). */
export function identifierParts(ident: string): string[] {
  const parts = ident
    .split(/[_$]+/)
    .flatMap((p) => p.match(PARTS) ?? [])
    .map((p) => p.toLowerCase());
  return parts.length > 1 ? parts : [];
}

/** The text FTS5 indexes for one chunk: each identifier lower-cased (joined with _ kept as one term) plus its parts. */
export function codeTerms(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(IDENT)) {
    const ident = m[0];
    const parts = identifierParts(ident);
    // unicode61 splits on '_' and '$', so a whole snake_case name is written without them to stay one term.
    out.push(ident.replace(/[_$]+/g, '').toLowerCase());
    if (parts.length > 1) out.push(...parts);
  }
  return out.join(' ');
}

/** An FTS5 query for a question or identifier: each distinct term quoted (no syntax errors), OR'ed so BM25 ranks. */
export function codeQuery(text: string): string {
  const terms = new Set<string>();
  for (const m of text.matchAll(IDENT)) {
    const ident = m[0];
    const whole = ident.replace(/[_$]+/g, '').toLowerCase();
    if (whole && !STOP.has(whole)) terms.add(whole);
    for (const p of identifierParts(ident)) if (!STOP.has(p)) terms.add(p);
  }
  if (terms.size === 0) throw new EvolveError('INVALID_ARGUMENT', 'Search needs at least one word or identifier');
  return [...terms]
    .slice(0, 64)
    .map((t) => `"${t}"`)
    .join(' OR ');
}
