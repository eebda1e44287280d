// Parses `@file:path`, `@symbol:Name` and `@project` mentions out of a chat message (pure; resolution is elsewhere).

export type Mention =
  { kind: 'file'; path: string; raw: string } | { kind: 'symbol'; name: string; raw: string } | { kind: 'project'; raw: string };

/**
 * A mention starts the text or follows whitespace or an opening bracket/quote (so `me@file:x` in an e-mail address is
 * not one). `@file:"a b.ts"` quotes a path with spaces; an unquoted path ends at whitespace, and trailing sentence
 * punctuation (`.,;:!?)`) is not part of it.
 */
const MENTION = /(^|[\s([{'"`])@(?:file:(?:"([^"\n]+)"|(\S+))|symbol:([A-Za-z_$][\w$.:#-]*)|(project)\b)/g;
const TRAILING = /[.,;:!?)\]}'"`]+$/;

export function parseMentions(text: string): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    let mention: Mention;
    if (m[2] !== undefined || m[3] !== undefined) {
      const path = m[2] ?? (m[3] ?? '').replace(TRAILING, '');
      if (!path) continue;
      mention = { kind: 'file', path, raw: `@file:${m[2] !== undefined ? `"${path}"` : path}` };
    } else if (m[4] !== undefined) {
      const name = m[4].replace(TRAILING, '');
      if (!name) continue;
      mention = { kind: 'symbol', name, raw: `@symbol:${name}` };
    } else {
      mention = { kind: 'project', raw: '@project' };
    }
    // The same mention twice adds its context once.
    const key = mention.kind === 'file' ? `f:${mention.path}` : mention.kind === 'symbol' ? `s:${mention.name}` : 'p';
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mention);
  }
  return out;
}
