// pyinstrument's JSON renderer output (a call tree with total time per node) → our sampled Profile: one sample per
// node with self time, its stack root first. The driver's own frames are removed and their children kept.
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { Profile } from '../../../../common/perf/types';
import { ProfileBuilder } from './builder';
import { framePath } from './paths';

const NodeSchema = z.object({
  function: z.string(),
  file_path: z.string().default(''),
  line_no: z.number().int().nonnegative().default(0),
  time: z.number().nonnegative(),
  class_name: z.string().optional(),
  children: z.array(z.unknown()).default([]),
});
type PyNode = z.infer<typeof NodeSchema>;

export const PyinstrumentDocSchema = z.object({ duration: z.number().nonnegative(), root_frame: z.unknown() });

/** pyinstrument's synthetic leaf for the parent's own time ('[self]', file_path ''): folded into the parent. */
const isSelfNode = (n: PyNode): boolean => n.function === '[self]' && n.file_path === '';

function parseNode(raw: unknown): PyNode {
  const r = NodeSchema.safeParse(raw);
  if (!r.success) throw new EvolveError('CORRUPT', `pyinstrument output has a malformed frame: ${r.error.issues[0]?.message ?? ''}`);
  return r.data;
}

/** Converts pyinstrument's JSON; `root` is the run's directory (the user's files become relative to it). */
export function pyinstrumentToProfile(doc: unknown, root: string): Profile {
  const top = PyinstrumentDocSchema.safeParse(doc);
  if (!top.success) throw new EvolveError('CORRUPT', 'pyinstrument output is not its JSON renderer document');
  const b = new ProfileBuilder();
  if (top.data.root_frame === null || top.data.root_frame === undefined) return b.build('python', 'pyinstrument');
  // Iterative walk: deep recursion in the profiled code gives trees deeper than a JS stack allows.
  const work: { node: PyNode; stack: number[] }[] = [{ node: parseNode(top.data.root_frame), stack: [] }];
  while (work.length > 0) {
    const { node, stack } = work.pop()!;
    const path = framePath(node.file_path, root);
    let here = stack;
    if (!path.driver) {
      const name = node.class_name ? `${node.class_name}.${node.function}` : node.function;
      const frame: { name: string; file?: string; line?: number } = { name };
      if (path.file !== undefined) frame.file = path.file;
      if (path.file !== undefined && node.line_no > 0) frame.line = node.line_no;
      here = [...stack, b.frame(frame)];
    }
    const kids = node.children.map(parseNode);
    let selfSec = node.time;
    for (const k of kids) if (!isSelfNode(k)) selfSec -= k.time;
    // Children first in document order: push reversed so the walk pops them in order after this node's own sample.
    if (selfSec > 1e-6) b.sample(here, selfSec * 1000); // below pyinstrument's printed precision: rounding noise
    for (let i = kids.length - 1; i >= 0; i--) if (!isSelfNode(kids[i]!)) work.push({ node: kids[i]!, stack: here });
  }
  return b.build('python', 'pyinstrument');
}
