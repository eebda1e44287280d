// Recognises a raw prompt already written in a FIM format (Continue and other editors render
// "<|fim_prefix|>…<|fim_suffix|>…<|fim_middle|>" themselves and send it to /v1/completions), so it is served by
// the engine's infill with the model's real FIM tokens instead of as plain text.
export interface ParsedFim {
  prefix: string;
  suffix: string;
  repoName?: string;
  extra: { path: string; text: string }[];
}

const PRE = '<|fim_prefix|>';
const SUF = '<|fim_suffix|>';
const MID = '<|fim_middle|>';
const REPO = '<|repo_name|>';
const SEP = '<|file_sep|>';

/**
 * Qwen-style PSM prompts, optionally repo-level (`<|repo_name|>name\n<|file_sep|>path\ntext…`). Returns null for
 * anything else (including text after <|fim_middle|>, which would be a different request).
 */
export function parseFimPrompt(prompt: string): ParsedFim | null {
  const p = prompt.indexOf(PRE);
  const s = prompt.indexOf(SUF);
  const m = prompt.indexOf(MID);
  if (p < 0 || s < p || m < s || !prompt.endsWith(MID) || m !== prompt.length - MID.length) return null;
  const head = prompt.slice(0, p);
  const out: ParsedFim = { prefix: prompt.slice(p + PRE.length, s), suffix: prompt.slice(s + SUF.length, m), extra: [] };
  if (!head) return out;
  let rest = head;
  if (rest.startsWith(REPO)) {
    const end = rest.indexOf(SEP);
    out.repoName = (end < 0 ? rest.slice(REPO.length) : rest.slice(REPO.length, end)).replace(/\n$/, '');
    rest = end < 0 ? '' : rest.slice(end);
  }
  const files = rest.split(SEP).slice(1);
  if (!rest.startsWith(SEP) && rest.length > 0) return null;
  for (let i = 0; i < files.length; i++) {
    const f = files[i] ?? '';
    const nl = f.indexOf('\n');
    const path = nl < 0 ? f : f.slice(0, nl);
    const text = nl < 0 ? '' : f.slice(nl + 1);
    // The last file section is the current file: its path line precedes <|fim_prefix|>.
    if (i === files.length - 1 && text.trim() === '') continue;
    out.extra.push({ path, text });
  }
  return out;
}
