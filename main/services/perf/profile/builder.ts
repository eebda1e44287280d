// Accumulates a sampled Profile: frames deduplicated by (name, file, line), identical consecutive stacks merged.
import type { Profile, ProfileFrame } from '../../../../common/perf/types';

export class ProfileBuilder {
  private readonly frames: ProfileFrame[] = [];
  private readonly index = new Map<string, number>();
  private readonly samples: number[][] = [];
  private readonly weights: number[] = [];

  frame(f: ProfileFrame): number {
    const key = `${f.name}\u0000${f.file ?? ''}\u0000${f.line ?? ''}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.frames.length;
      const clean: ProfileFrame = { name: f.name };
      if (f.file !== undefined) clean.file = f.file;
      if (f.line !== undefined) clean.line = f.line;
      this.frames.push(clean);
      this.index.set(key, i);
    }
    return i;
  }

  /** A stack (root first) with its weight; zero or negative weights and empty stacks carry no time and are skipped. */
  sample(stack: number[], weightMs: number): void {
    if (stack.length === 0 || !(weightMs > 0)) return;
    const last = this.samples.length - 1;
    const prev = this.samples[last];
    if (prev && prev.length === stack.length && prev.every((v, i) => v === stack[i])) {
      this.weights[last]! += weightMs;
      return;
    }
    this.samples.push([...stack]);
    this.weights.push(weightMs);
  }

  build(language: Profile['language'], tool: Profile['tool']): Profile {
    const totalMs = this.weights.reduce((a, b) => a + b, 0);
    return { language, tool, frames: this.frames, samples: this.samples, weightsMs: this.weights, totalMs };
  }
}
