// V8's .cpuprofile (node --cpu-prof: a node tree, the leaf node id of each sample, time deltas in µs) → our sampled
// Profile, with frames mapped back to the user's sources by a caller-given mapper (TypeScript through source maps).
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { Profile, ProfileFrame } from '../../../../common/perf/types';
import { ProfileBuilder } from './builder';
import { framePath } from './paths';

const CallFrameSchema = z.object({
  functionName: z.string(),
  url: z.string().default(''),
  lineNumber: z.number().int(),
  columnNumber: z.number().int(),
});
export const CpuProfileSchema = z.object({
  nodes: z.array(z.object({ id: z.number().int(), callFrame: CallFrameSchema, children: z.array(z.number().int()).default([]) })),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number().int()).default([]),
  timeDeltas: z.array(z.number()).default([]),
});
export type CpuProfile = z.infer<typeof CpuProfileSchema>;

/** Where a generated-JS position lands in the user's source (0-based line/column in, frame fields out). */
export type PositionMapper = (
  url: string,
  line0: number,
  column0: number,
) => {
  file?: string;
  line?: number;
  driver: boolean;
  /** Samples through this frame are the profiler's own: not counted. */ drop?: boolean;
};

/** Default mapping: the run's files relative to `root`, line as V8 reports it (+1), others by a short name. */
export function plainMapper(root: string): PositionMapper {
  return (url, line0) => {
    const p = framePath(url, root);
    return p.file === undefined ? { driver: p.driver } : { file: p.file, line: line0 >= 0 ? line0 + 1 : undefined, driver: p.driver };
  };
}

/** Converts one or more cpu profiles (e.g. of a process and its children) into one Profile. */
export function cpuProfileToProfile(raw: unknown[], map: PositionMapper, language: Profile['language']): Profile {
  const b = new ProfileBuilder();
  for (const one of raw) {
    const parsed = CpuProfileSchema.safeParse(one);
    if (!parsed.success) throw new EvolveError('CORRUPT', `The .cpuprofile is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
    addProfile(b, parsed.data, map);
  }
  return b.build(language, 'cpu-prof');
}

function addProfile(b: ProfileBuilder, p: CpuProfile, map: PositionMapper): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children) parent.set(c, n.id);
  // Where each node's position maps (memoised), and its frame index, or -1 for nodes left out ((root), driver).
  const mapped = new Map<number, ReturnType<PositionMapper>>();
  const mapOf = (id: number): ReturnType<PositionMapper> => {
    let at = mapped.get(id);
    if (!at) {
      const cf = byId.get(id)!.callFrame;
      at = cf.url ? map(cf.url, cf.lineNumber, cf.columnNumber) : { driver: cf.functionName === '(root)' };
      mapped.set(id, at);
    }
    return at;
  };
  const frameIndex = (id: number): number => {
    const at = mapOf(id);
    if (at.driver) return -1;
    const frame: ProfileFrame = { name: byId.get(id)!.callFrame.functionName || '(anonymous)' };
    if (at.file !== undefined) frame.file = at.file;
    if (at.file !== undefined && at.line !== undefined) frame.line = at.line;
    return b.frame(frame);
  };
  const stacks = new Map<number, number[]>();
  const stackOf = (leaf: number): number[] => {
    const hit = stacks.get(leaf);
    if (hit) return hit;
    const ids: number[] = [];
    for (let id: number | undefined = leaf; id !== undefined && ids.length < 10_000; id = parent.get(id)) ids.push(id);
    ids.reverse();
    const stack = ids.some((id) => mapOf(id).drop) ? [] : ids.map(frameIndex).filter((f) => f >= 0);
    stacks.set(leaf, stack);
    return stack;
  };
  // Sample i lasts until the next sample's timestamp (timeDeltas[i + 1]); the last one until endTime (µs → ms).
  let t = p.startTime;
  const times = p.timeDeltas.map((d) => (t += d));
  p.samples.forEach((id, i) => {
    if (!byId.has(id)) return;
    const end = i + 1 < times.length ? times[i + 1]! : p.endTime;
    const w = (end - (times[i] ?? p.startTime)) / 1000;
    b.sample(stackOf(id), w);
  });
}
