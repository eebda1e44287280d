// Whole-file answers (path line + one fenced block per file), the simpler edit format for small files and models.
import { findFencedBlocks } from './fences';
import { stripFilename } from './parse-edit-blocks';
import { fromModelText, toModelText } from './text';

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

/** Lines a model writes instead of code it left out ("# ... rest of the code unchanged", "// ... existing code ..."). */
const ELISION =
  /^\s*(?:#|\/\/|\/\*|<!--|--)?\s*(?:\.\.\.|…)?\s*(?:\(?\s*)(?:rest of (?:the )?(?:code|file|class|function|module)|existing code|remaining code|other (?:methods|functions|code)|unchanged(?: code)?|same as before|previous code)\b.*$|^\s*(?:#|\/\/)\s*(?:\.\.\.|…)\s*$/im;

export interface WholeFilesResult {
  /** New text of each accepted file, in the file's own conventions (BOM, dominant line ending). */
  files: Record<string, string>;
  failed: { path: string; reason: 'elided'; line: string }[];
  feedback?: string;
}

/**
 * Takes whole-file answers as the new texts of `files`, refusing any whose text elides code ("... rest of the code
 * unchanged") that the original did not contain: applied, such an answer would silently delete the elided code.
 */
export function applyWholeFiles(files: Readonly<Record<string, string>>, answers: readonly WholeFile[]): WholeFilesResult {
  const out: Record<string, string> = {};
  const failed: WholeFilesResult['failed'] = [];
  for (const a of answers) {
    const original = files[a.path];
    const hit = ELISION.exec(a.content);
    if (hit && original !== undefined && !toModelText(original).includes(hit[0].trim())) {
      failed.push({ path: a.path, reason: 'elided', line: hit[0].trim() });
      continue;
    }
    out[a.path] = original === undefined ? a.content : fromModelText(a.content, original);
  }
  const feedback = failed.length
    ? failed
        .map((f) => `${f.path}: the file leaves code out ("${f.line}"). Send the complete file, every line of it, with no part elided.`)
        .join('\n')
    : undefined;
  return { files: out, failed, ...(feedback ? { feedback } : {}) };
}
