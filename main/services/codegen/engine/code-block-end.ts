// Where the first fenced code block of a streamed answer ends: the engine stops generating there, since anything after
// the closing fence is prose (or a second copy) the extractor throws away — tokens a small model spends for nothing.
const OPEN = /^[ \t]*(`{3,}|~{3,})[^\n`]*$/;

/**
 * The offset just after the closing fence line of the first fenced block in `text`, or undefined while that block is
 * still open (or none started). A fence line only counts once its newline has arrived, so "```py" is never taken for
 * a bare closing "```".
 */
export function codeBlockEnd(text: string): number | undefined {
  let open: string | undefined;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return undefined;
    const line = text.slice(at, nl);
    at = nl + 1;
    if (open === undefined) {
      const m = OPEN.exec(line);
      if (m) open = m[1]!;
    } else if (line.trim().startsWith(open) && /^[`~]+$/.test(line.trim()) && line.trim()[0] === open[0]) {
      return at;
    }
  }
  return undefined;
}
