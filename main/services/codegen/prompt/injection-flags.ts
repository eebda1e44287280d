// The injection flags of a codegen prompt: which of the project data that made it into the prompt (target files,
// rule files, retrieved chunks) the detector flagged — returned with the prompt, shown to the user and audited.
import type { InjectionFlag } from '../../../../common/security/injection';
import { inspectUntrusted } from '../../security/untrusted';
import type { BudgetPartName, RuleFile } from './types';

/** An item is "path" or "path:from-to"; the path is what the user recognises. */
const pathOf = (item: string): string => item.replace(/:\d+-\d+$/, '');

export function promptInjectionFlags(o: {
  targets: readonly { path: string; content: string }[];
  rules: readonly RuleFile[];
  /** Flags of the retrieved chunks that went in, by item ("rel:start-end"). */
  chunkFlags: ReadonlyMap<string, InjectionFlag>;
  /** The items of a part as finally filled (a part cut for room has none). */
  filled: (part: BudgetPartName) => readonly string[];
}): InjectionFlag[] {
  const flags: InjectionFlag[] = [];
  const shownTargets = new Set(o.filled('target').map(pathOf));
  for (const t of o.targets) {
    if (!shownTargets.has(t.path)) continue;
    const f = inspectUntrusted('file', t.path, t.content);
    if (f) flags.push(f);
  }
  const shownRules = new Set(o.filled('rules').map(pathOf));
  for (const r of o.rules) {
    if (!shownRules.has(r.path)) continue;
    const f = inspectUntrusted('rule-file', r.path, r.content);
    if (f) flags.push(f);
  }
  for (const item of o.filled('retrieved')) {
    const f = o.chunkFlags.get(item);
    if (f) flags.push(f);
  }
  return flags;
}
