// The target's call sites as the model sees them ("file:line  code"): taken from the project index's reference tags,
// each line read from disk now (the index may be a few edits behind), tests left out (they go to the model as tests).
import { isTestFile, readProjectFile } from '../../codegen/engine/project-files';

export interface Reference {
  rel: string;
  line: number;
}

/** Call sites shown to the model: enough to show how the function is used, few enough to leave room for the code. */
export const MAX_CALL_SITES = 5;
const MAX_LINE_CHARS = 200;

/** `name` for `fn`, the method name for `Class.method` (the index tags a call by the called name). */
export function calledName(target: string): string {
  return target.split('.').pop() ?? target;
}

export async function callSites(root: string, refs: readonly Reference[], limit = MAX_CALL_SITES): Promise<string[]> {
  const out: string[] = [];
  const files = new Map<string, string[] | undefined>();
  for (const r of refs) {
    if (out.length >= limit) break;
    if (isTestFile(r.rel)) continue;
    if (!files.has(r.rel)) files.set(r.rel, (await readProjectFile(root, r.rel).catch(() => undefined))?.split('\n'));
    const text = files.get(r.rel)?.[r.line - 1]?.trim();
    if (text) out.push(`${r.rel}:${r.line} ${text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text}`);
  }
  return out;
}
