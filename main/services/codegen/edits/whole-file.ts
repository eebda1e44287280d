// Whole-file answers (path line + one fenced block per file), the simpler edit format for small files and models.
import { findFencedBlocks } from './fences';
import { stripFilename } from './parse-edit-blocks';

export interface WholeFile {
  path: string;
  /** The new text (LF endings, ends with a newline); map it to the file's conventions with fromModelText. */
  content: string;
}

/** Files whose text a small model should rewrite whole rather than edit with SEARCH/REPLACE blocks. */
export const WHOLE_FILE_MAX_CHARS = 6000;

/**
 * Picks the edit format: whole files when every target file is small (a small model copies a short file more
 * reliably than it writes an exact SEARCH block; Aider uses "whole" for weak models too), SEARCH/REPLACE otherwise.
 */
export function chooseEditFormat(fileChars: readonly number[], modelParamsB?: number): 'whole' | 'search-replace' {
  const limit = modelParamsB !== undefined && modelParamsB <= 2 ? WHOLE_FILE_MAX_CHARS * 2 : WHOLE_FILE_MAX_CHARS;
  return fileChars.length > 0 && fileChars.every((n) => n <= limit) ? 'whole' : 'search-replace';
}

/** The files of a whole-file answer: each fenced block preceded by its path line (or with the path in the fence). */
export function parseWholeFiles(answer: string): WholeFile[] {
  const lines = answer.replace(/\r\n|\r/g, '\n').split('\n');
  const out: WholeFile[] = [];
  for (const b of findFencedBlocks(answer)) {
    const fenceInfo = /^\s*(?:`{3,}|~{3,})[\w+#-]*[: \t]+(\S+)\s*$/.exec(lines[b.startLine]!);
    let path = fenceInfo ? stripFilename(fenceInfo[1]!) : undefined;
    for (let k = b.startLine - 1; !path && k >= 0 && k >= b.startLine - 2; k--) {
      if (!lines[k]!.trim()) continue;
      path = stripFilename(lines[k]!);
      break;
    }
    if (!path) continue;
    const content = b.code.replace(/\s+$/, '');
    out.push({ path, content: content ? content + '\n' : '' });
  }
  return out;
}
