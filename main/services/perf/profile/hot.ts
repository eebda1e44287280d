// The hot-functions table of a sampled profile: self and total time per frame, total counted once per sample so a
// recursive function's time is not added up once per level.
import type { HotFunction, Profile } from '../../../../common/perf/types';

/** Frames by self time (then total), at most `limit`; functions that never ran are left out. */
export function hotFunctions(profile: Profile, limit = 30): HotFunction[] {
  const self = new Float64Array(profile.frames.length);
  const total = new Float64Array(profile.frames.length);
  const seen = new Int32Array(profile.frames.length).fill(-1);
  profile.samples.forEach((stack, s) => {
    const w = profile.weightsMs[s] ?? 0;
    const leaf = stack[stack.length - 1];
    if (leaf !== undefined && leaf < self.length) self[leaf]! += w;
    for (const f of stack) {
      if (f >= total.length || seen[f] === s) continue; // once per sample: recursion does not double-count
      seen[f] = s;
      total[f]! += w;
    }
  });
  const all = profile.totalMs > 0 ? profile.totalMs : profile.weightsMs.reduce((a, b) => a + b, 0);
  const rows: HotFunction[] = [];
  profile.frames.forEach((fr, i) => {
    if (total[i]! <= 0) return;
    const row: HotFunction = {
      name: fr.name,
      selfMs: round(self[i]!),
      totalMs: round(total[i]!),
      selfPercent: all > 0 ? Math.min(100, round((100 * self[i]!) / all)) : 0,
    };
    if (fr.file !== undefined) row.file = fr.file;
    if (fr.line !== undefined) row.line = fr.line;
    rows.push(row);
  });
  rows.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs || a.name.localeCompare(b.name));
  return rows.slice(0, Math.max(0, limit));
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
