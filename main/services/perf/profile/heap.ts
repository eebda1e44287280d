// The Node memory run's output → MemoryPeak: the peak of V8 heap used in the window (from --trace-gc lines and
// marks, above the start) and the functions that allocated most (V8's sampling heap profile), mapped to sources.
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { MemoryPeak } from '../../../../common/perf/types';
import type { PositionMapper } from './cpuprofile';

/** '… Scavenge 4.4 (4.5) -> 4.1 (5.5) MB, …': the first figure is the heap used before that GC, in MiB. */
const GC_LINE =
  /\b(?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Compact|Minor Mark-Sweep|Mark-sweep)\b[^\d\n]*?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/;

const HeapNodeSchema: z.ZodType<HeapNode> = z.lazy(() =>
  z.object({
    callFrame: z.object({
      functionName: z.string(),
      url: z.string().default(''),
      lineNumber: z.number().int(),
      columnNumber: z.number().int(),
    }),
    selfSize: z.number().nonnegative(),
    children: z.array(HeapNodeSchema).default([]),
  }),
);
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Heap used (bytes) before each GC between the start and stop markers of `stdout`. */
export function gcPeaksBetween(stdout: string, startMarker: string, stopMarker: string): number[] {
  const from = stdout.indexOf(startMarker);
  if (from < 0) return [];
  const to = stdout.indexOf(stopMarker, from);
  const out: number[] = [];
  for (const line of stdout.slice(from, to < 0 ? undefined : to).split('\n')) {
    const m = GC_LINE.exec(line);
    if (m) out.push(Math.round(Number(m[1]) * 1024 * 1024));
  }
  return out;
}

/** Builds the MemoryPeak from the window's base, its GC peaks and marks, and the sampling heap profile. */
export function heapToMemory(
  input: { base: number; gcPeaks: number[]; maxUsed: number; profile: unknown },
  map: PositionMapper,
  limit = 15,
): MemoryPeak {
  const parsed = z.object({ head: HeapNodeSchema }).safeParse(input.profile);
  if (!parsed.success) throw new EvolveError('CORRUPT', 'The sampling heap profile is malformed');
  const bySite = new Map<string, { file: string; line: number; bytes: number }>();
  const work: HeapNode[] = [parsed.data.head];
  while (work.length > 0) {
    const n = work.pop()!;
    work.push(...n.children);
    if (n.selfSize <= 0 || !n.callFrame.url) continue;
    const at = map(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber);
    if (at.driver || at.drop || at.file === undefined) continue;
    const key = `${at.file}:${at.line ?? 0}`;
    const site = bySite.get(key) ?? { file: at.file, line: at.line ?? 0, bytes: 0 };
    site.bytes += n.selfSize;
    bySite.set(key, site);
  }
  const peak = Math.max(input.maxUsed, ...input.gcPeaks) - input.base;
  return {
    tool: 'v8-heap',
    peakBytes: Math.max(0, Math.round(peak)),
    top: [...bySite.values()].sort((a, b) => b.bytes - a.bytes).slice(0, limit),
  };
}
