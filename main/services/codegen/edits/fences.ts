// Finds the fenced code blocks of a markdown answer (``` or ~~~, indented inside lists, unclosed at the end).
export interface FencedBlock {
  /** The info string's first word, lowercased ('' when the fence has none). */
  tag: string;
  code: string;
  closed: boolean;
  /** Line index of the opening fence in the answer. */
  startLine: number;
  endLine: number;
}

const OPEN = /^( {0,12})(`{3,}|~{3,})[ \t]*([^`\n]*)$/;

/** The info string's language word: "python title=x.py", "py:src/x.py", "{.python}" all give the language word. */
function tagOf(info: string): string {
  const m = /^[{.]*([\w+#-]+)/.exec(info.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** Strips up to `indent` leading spaces (the fence's own indentation, as CommonMark does inside list items). */
function unindent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

/**
 * A bare fence opened just before a header line and a tagged fence ("```", "## File `a.py`", "```python"): small models
 * wrap the prompt's own file header that way (Qwen2.5-Coder 1.5B did on two of the eval's whole-file edits). Read as
 * one block, the header and the inner fence would become the file's first lines; the bare fence is dropped instead,
 * so the header names the file and the tagged block is its text.
 */
function strayBareFence(lines: readonly string[], at: number): boolean {
  for (let k = at + 1; k <= at + 2 && k < lines.length; k++) {
    const inner = OPEN.exec(lines[k]!);
    if (inner) return tagOf(inner[3]!) !== '';
    if (!lines[k]!.trim()) return false;
  }
  return false;
}

export function findFencedBlocks(answer: string): FencedBlock[] {
  const lines = answer.replace(/\r\n|\r/g, '\n').split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const fence = open[2]!;
    const tag = tagOf(open[3]!);
    if (tag === '' && strayBareFence(lines, i)) continue;
    const body: string[] = [];
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      const t = lines[j]!.trim();
      if (t.length >= fence.length && t === fence[0]!.repeat(t.length)) {
        closed = true;
        break;
      }
      body.push(unindent(lines[j]!, indent));
    }
    // A doubled opening fence ("```python\n```python\n...") leaves a fence as the first body line: drop it.
    while (body.length && OPEN.test(body[0]!) && tagOf(OPEN.exec(body[0]!)![3]!) !== '') body.shift();
    blocks.push({ tag, code: body.join('\n'), closed, startLine: i, endLine: j });
    i = j;
  }
  return blocks;
}
