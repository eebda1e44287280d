// Linear-time scanners behind the redaction detectors. Why each is linear: a regex scanner only gets patterns where a
// failed attempt reads a bounded number of characters or cannot be restarted inside what it read (a look-behind pins
// the start to the beginning of a character run); the hand-written scanners anchor on a literal ('@', '-----BEGIN',
// the end of a `name` run, a '.' after a JWT segment) and read each character a constant number of times.

export interface Hit<K extends string = string> {
  kind: K;
  /** The secret's span in the input (text outside it is kept). */
  start: number;
  end: number;
}

/**
 * A global regex; `group` is the capture holding the secret (0 = the whole match). Every grouped pattern ends with its
 * group (plus fixed characters), so the group's position is its last occurrence in the match.
 */
export function* regexScanner<K extends string>(
  kind: K,
  re: RegExp,
  group: number,
  input: string,
  accept?: (value: string, index: number, input: string) => boolean,
): Generator<Hit<K>> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(input)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const value = m[group];
    if (value === undefined || value.length === 0) continue;
    if (accept && !accept(value, m.index, input)) continue;
    const start = m.index + (group === 0 ? 0 : m[0].lastIndexOf(value));
    yield { kind, start, end: start + value.length };
  }
}

const BEGIN_KEY = /-----BEGIN (?:[A-Z0-9]+ ){0,8}PRIVATE KEY(?: BLOCK)?-----/g;
const END_KEY = /-----END (?:[A-Z0-9]+ ){0,8}PRIVATE KEY(?: BLOCK)?-----/g;

/** PEM private key blocks, BEGIN through the first END after it. Once no END follows a BEGIN, none follows any later one. */
export function* privateKeyScanner<K extends string>(kind: K, input: string): Generator<Hit<K>> {
  BEGIN_KEY.lastIndex = 0;
  let b: RegExpExecArray | null;
  while ((b = BEGIN_KEY.exec(input)) !== null) {
    END_KEY.lastIndex = BEGIN_KEY.lastIndex;
    const e = END_KEY.exec(input);
    if (!e) return;
    yield { kind, start: b.index, end: END_KEY.lastIndex };
    BEGIN_KEY.lastIndex = END_KEY.lastIndex;
  }
}

const SEGMENT_REST = /[A-Za-z0-9_-]*/y;
const JWT_REST = /\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/y;

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * JWTs (eyJ….eyJ….sig), anchored on `eyJ` at a word boundary: the first segment runs to the end of its character run,
 * which must be followed by the two other segments. When a candidate fails, every later `eyJ` in the same run would
 * reach the same run end and fail too, so the search skips past the run: each character is read a bounded number of times.
 */
export function* jwtScanner<K extends string>(kind: K, input: string): Generator<Hit<K>> {
  let from = 0;
  for (;;) {
    const s = input.indexOf('eyJ', from);
    if (s === -1) return;
    if (s > 0 && isWordCode(input.charCodeAt(s - 1))) {
      from = s + 1;
      continue;
    }
    SEGMENT_REST.lastIndex = s + 3;
    SEGMENT_REST.test(input);
    const runEnd = SEGMENT_REST.lastIndex;
    JWT_REST.lastIndex = runEnd;
    if (runEnd - (s + 3) >= 8 && JWT_REST.test(input)) {
      yield { kind, start: s, end: JWT_REST.lastIndex };
      from = JWT_REST.lastIndex;
    } else from = Math.max(runEnd, s + 1);
  }
}

const isAlnumCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** [A-Za-z0-9._%+-]: the characters of an address's local part. */
const isLocalCode = (c: number) => isAlnumCode(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
/** [A-Za-z0-9_.+-]: characters that may not precede an address (the old look-behind `(?<![\w.+-])`). */
const isNotBeforeCode = (c: number) => isAlnumCode(c) || c === 95 || c === 46 || c === 43 || c === 45;
const DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b/y;

/**
 * E-mail addresses, anchored on '@': the local part is read backwards (it cannot contain '@', so each character is
 * read once), the domain forwards with a sticky regex (it cannot contain '@' either).
 */
export function* emailScanner<K extends string>(kind: K, input: string, accept: (value: string) => boolean): Generator<Hit<K>> {
  let floor = 0;
  let at = input.indexOf('@');
  while (at !== -1) {
    let runStart = at;
    while (runStart > floor && isLocalCode(input.charCodeAt(runStart - 1))) runStart--;
    let start = -1;
    for (let s = runStart; s < at; s++) {
      if (isAlnumCode(input.charCodeAt(s)) && (s === 0 || !isNotBeforeCode(input.charCodeAt(s - 1)))) {
        start = s;
        break;
      }
    }
    let next = at + 1;
    if (start !== -1) {
      DOMAIN.lastIndex = at + 1;
      if (DOMAIN.test(input)) {
        const end = DOMAIN.lastIndex;
        next = end;
        floor = end;
        if (accept(input.slice(start, end))) yield { kind, start, end };
      }
    }
    at = input.indexOf('@', next);
  }
}

/** A secret-ish word that ends a run of name characters [A-Za-z0-9_.-] (the separator cannot be a name character). */
const KEYWORD_AT_RUN_END =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key)(?![A-Za-z0-9_.-])/gi;
/** What follows a secret-looking name: optional quote, separator, optional quote, the value, the same quote again. */
const ASSIGNMENT_TAIL = /(["']?)(\s*(?::|=|:=)\s*|\s+)(["'`]?)([^\s"'`,;]{4,})\3/y;
/** Only blanks up to the end of the line (a sticky test that stops at the first non-blank, not at the line's end). */
const LINE_END = /[^\S\n]*(?:\n|$)/y;
/** Values on the right of `token =` that are code, not secrets (calls, member access, types, env lookups, keywords). */
const CODE_VALUE =
  /^(?:null|none|nil|undefined|true|false|required|optional|string|str|bytes|number|int|bool|boolean|any|unknown|object|secret|password|token|changeme|xxx+|\*+|<[^>]*>|\$\{?.*|\{\{.*|%\(.*|process\.env.*|os\.environ.*|env\(.*)$/i;

function looksLikeCode(v: string): boolean {
  if (CODE_VALUE.test(v)) return true;
  if (/[()[\]<>{}]/.test(v)) return true; // calls, generics, indexing, templates
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v)) return true; // member access: self.token, config.apiKey
  if (/^[A-Za-z_$][\w$]*$/.test(v) && /[a-z][A-Z]|_[a-z]/.test(v) && !/\d/.test(v)) return true; // camelCase / snake_case identifier
  return false;
}

const isNameCode = (c: number) => isAlnumCode(c) || c === 95 || c === 46 || c === 45;
/** What \s matches in ASCII plus the Unicode spaces JS counts as \s. */
const isSpaceCode = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(String.fromCharCode(c)));

/**
 * `name = value` assignments (code, .env, YAML, JSON, CLI flags) where the name ends in a secret-ish word. The old
 * pattern re-read a long name run from every position looking for the word (quadratic); here the word is found first,
 * at the end of its run, and the name is read backwards only as far as the previous match, so each character is read
 * a bounded number of times.
 */
export function* secretAssignmentScanner(input: string): Generator<Hit<'SECRET' | 'PASSWORD'>> {
  KEYWORD_AT_RUN_END.lastIndex = 0;
  let floor = 0;
  // test(), not exec(): no match array per keyword; the name is read backwards from the keyword's end.
  while (KEYWORD_AT_RUN_END.test(input)) {
    const nameEnd = KEYWORD_AT_RUN_END.lastIndex;
    // The tail is an optional quote, then ':' '=' or white space; anything else cannot be an assignment, and
    // checking that here spares a regex run per keyword on keyword-dense text.
    let sep = input.charCodeAt(nameEnd);
    if (sep === 0x22 || sep === 0x27) sep = input.charCodeAt(nameEnd + 1);
    if (sep !== 0x3a && sep !== 0x3d && !isSpaceCode(sep)) continue;
    let nameStart = nameEnd;
    while (nameStart > floor && isNameCode(input.charCodeAt(nameStart - 1))) nameStart--;
    floor = nameEnd;
    ASSIGNMENT_TAIL.lastIndex = nameEnd;
    const t = ASSIGNMENT_TAIL.exec(input);
    if (!t) continue;
    const tailEnd = ASSIGNMENT_TAIL.lastIndex;
    KEYWORD_AT_RUN_END.lastIndex = tailEnd;
    floor = tailEnd;
    const name = input.slice(nameStart, nameEnd);
    const separator = t[2] ?? '';
    const closing = t[3] ?? '';
    const value = t[4] ?? '';
    const end = tailEnd - closing.length;
    // A space-separated `--password VALUE` flag needs a flag prefix; a bare word followed by space is prose.
    if (!/[:=]/.test(separator) && !/^-{1,2}/.test(name)) continue;
    // .NET PublicKeyToken and other public-* values are published on purpose.
    if (/public/i.test(name)) continue;
    if (value.startsWith('[REDACTED_')) continue;
    if (closing !== '') {
      if (CODE_VALUE.test(value) || /^\$\{|^\{\{/.test(value)) continue;
    } else {
      if (looksLikeCode(value)) continue;
      // `password = await prompt()`: a plain word followed by more code on the same line is an expression.
      if (/^[A-Za-z]+$/.test(value)) {
        LINE_END.lastIndex = tailEnd;
        if (!LINE_END.test(input)) continue;
      }
    }
    yield { kind: /pass|pwd/i.test(name) ? 'PASSWORD' : 'SECRET', start: end - value.length, end };
  }
}

const isSchemeCode = (c: number) => isAlnumCode(c) || c === 43 || c === 46 || c === 45; // [a-z0-9+.-]
const isLetterCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** After "://": user (no ':' '/' '@' quotes or space), ':', the password (captured), '@'. */
const AUTHORITY = /[^\s:/@"'`]*:([^\s@/"'`]+)@/y;

/**
 * Passwords in URL authorities (scheme://user:password@host), anchored on "://": the scheme is read backwards (its
 * leftmost letter at a word boundary starts it, as in the old `\b[a-z][a-z0-9+.-]*://` pattern) and the authority
 * forwards; neither can contain another "://", so each character is read a bounded number of times.
 */
export function* urlPasswordScanner<K extends string>(kind: K, input: string): Generator<Hit<K>> {
  let floor = 0;
  let at = input.indexOf('://');
  while (at !== -1) {
    let runStart = at;
    while (runStart > floor && isSchemeCode(input.charCodeAt(runStart - 1))) runStart--;
    let start = -1;
    for (let s = runStart; s < at; s++) {
      if (isLetterCode(input.charCodeAt(s)) && (s === 0 || !isWordCode(input.charCodeAt(s - 1)))) {
        start = s;
        break;
      }
    }
    let next = at + 3;
    if (start !== -1) {
      AUTHORITY.lastIndex = at + 3;
      const m = AUTHORITY.exec(input);
      if (m) {
        const end = AUTHORITY.lastIndex - 1; // the '@' stays
        const password = m[1] as string;
        yield { kind, start: end - password.length, end };
        next = AUTHORITY.lastIndex;
        floor = next;
      }
    }
    at = input.indexOf('://', next);
  }
}
