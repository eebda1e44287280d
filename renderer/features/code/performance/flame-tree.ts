// Converts a sampled profile (speedscope's shape, common/perf/types.ts) into the { name, value, children } tree that
// d3-flame-graph draws: identical stacks merged, value = inclusive milliseconds, self time kept for the details line.
import { EvolveError } from '../../../../common/errors';
import { ProfileSchema, type Profile, type ProfileFrame } from '../../../../common/perf/types';

export interface FlameNode {
  name: string;
  /** Inclusive weight in milliseconds (this frame and everything it called), as d3-flame-graph expects. */
  value: number;
  /** Time with this frame at the top of the stack. */
  selfMs: number;
  file?: string;
  line?: number;
  children: FlameNode[];
}

/** Label for the root: the whole profile. */
export const FLAME_ROOT_NAME = 'all';

// Frames are merged by what they show (name, file, line), not by index: profilers may list one function twice.
function frameKey(f: ProfileFrame): string {
  return `${f.name}\u0000${f.file ?? ''}\u0000${f.line ?? ''}`;
}

function newNode(f: ProfileFrame): FlameNode {
  return {
    name: f.name,
    value: 0,
    selfMs: 0,
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    children: [],
  };
}

/**
 * Builds the tree. Throws EvolveError INVALID_ARGUMENT on a profile that fails its schema, whose samples and
 * weights differ in count, or whose stack names a frame that does not exist — a silently wrong graph is worse.
 */
export function profileToFlameTree(input: Profile): FlameNode {
  const parsed = ProfileSchema.safeParse(input);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Malformed profile: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const profile = parsed.data;
  if (profile.samples.length !== profile.weightsMs.length)
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `Malformed profile: ${profile.samples.length} samples but ${profile.weightsMs.length} weights`,
    );
  const root: FlameNode = { name: FLAME_ROOT_NAME, value: 0, selfMs: 0, children: [] };
  // Child lookup per node by frame key, kept outside the nodes so the tree stays plain data.
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  profile.samples.forEach((stack, i) => {
    const weight = profile.weightsMs[i] ?? 0;
    let node = root;
    node.value += weight;
    for (const fi of stack) {
      const frame = profile.frames[fi];
      if (!frame) throw new EvolveError('INVALID_ARGUMENT', `Malformed profile: sample ${i} names frame ${fi} of ${profile.frames.length}`);
      let kids = index.get(node);
      if (!kids) index.set(node, (kids = new Map()));
      const key = frameKey(frame);
      let child = kids.get(key);
      if (!child) {
        child = newNode(frame);
        kids.set(key, child);
        node.children.push(child);
      }
      child.value += weight;
      node = child;
    }
    node.selfMs += weight;
  });
  sortByValue(root);
  return root;
}

// Heaviest callee first so the widest block sits left, as in speedscope's "left heavy" view; ties keep sample order.
function sortByValue(node: FlameNode): void {
  node.children.sort((a, b) => b.value - a.value);
  for (const c of node.children) sortByValue(c);
}

/** Case-insensitive substring match (d3-flame-graph's default builds a RegExp from the typed text, which throws on "("). */
export function flameNameMatches(name: string, term: string): boolean {
  const t = term.trim().toLowerCase();
  return t.length > 0 && name.toLowerCase().includes(t);
}

/** Total milliseconds of the nodes whose name matches, not double-counting a match nested inside another match. */
export function matchedMs(root: FlameNode, term: string): number {
  const walk = (n: FlameNode): number => (flameNameMatches(n.name, term) ? n.value : n.children.reduce((sum, c) => sum + walk(c), 0));
  return root.children.reduce((sum, c) => sum + walk(c), 0);
}
