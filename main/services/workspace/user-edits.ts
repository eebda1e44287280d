// Experience learning from what the user keeps: remembers the text an accepted generation wrote to each file, and
// turns the user's later saves of that file into the generation's "user edits" (a unified diff from what was applied
// to what the user saved), which the codegen engine retrieves for similar prompts. In memory: after a restart, edits
// to files applied in an earlier session are not linked (the audit log still has both writes).
import { createTwoFilesPatch } from 'diff';
import { CODEGEN_LIMITS } from '../../../common/store/codegen-requests';

interface Tracked {
  generationId: string;
  path: string;
  /** The text the generation wrote. */
  applied: string;
  /** SHA-256 of the file's bytes as last written by the apply or by a save from it; a save must start from it. */
  lastHash: string;
  /** Unified diff applied → last save; null when the user has not changed it (or changed it back). */
  patch: string | null;
}

/** Files larger than this are not tracked (their diffs would crowd out everything else in the experience store). */
const MAX_TRACKED_TEXT = 512 * 1024;
const MAX_TRACKED_FILES = 500;

export class UserEditsTracker {
  private readonly files = new Map<string, Tracked>();

  private static key(projectId: string, path: string): string {
    return `${projectId}\0${path}`;
  }

  /** After an apply: the text now in each written file (a file applied again by a newer generation moves to it). */
  noteApplied(projectId: string, generationId: string, written: readonly { path: string; text: string; hash: string }[]): void {
    for (const w of written) {
      const key = UserEditsTracker.key(projectId, w.path);
      this.files.delete(key);
      if (w.text.length > MAX_TRACKED_TEXT) continue;
      this.files.set(key, { generationId, path: w.path, applied: w.text, lastHash: w.hash, patch: null });
    }
    // Oldest first in insertion order: drop the oldest beyond the cap.
    for (const k of this.files.keys()) {
      if (this.files.size <= MAX_TRACKED_FILES) break;
      this.files.delete(k);
    }
  }

  /**
   * After a save of `path` from `baseHash`: when that continues a tracked file, the generation's user edits over all
   * its files (null when nothing is tracked, the file was changed by something else in between, or no edit remains).
   */
  onSaved(
    projectId: string,
    path: string,
    baseHash: string | null,
    text: string,
    hash: string,
  ): { generationId: string; userEdits: string } | null {
    const key = UserEditsTracker.key(projectId, path);
    const t = this.files.get(key);
    if (!t) return null;
    if (t.lastHash !== baseHash || text.length > MAX_TRACKED_TEXT) {
      this.files.delete(key); // the chain from the apply is broken: later saves are not edits of the generation's text
      return null;
    }
    t.lastHash = hash;
    t.patch = text === t.applied ? null : createTwoFilesPatch(`a/${path}`, `b/${path}`, t.applied, text, '', '', { context: 3 });
    const patches = [...this.files.values()].filter((f) => f.generationId === t.generationId && f.patch !== null).map((f) => f.patch);
    if (patches.length === 0) return null;
    return { generationId: t.generationId, userEdits: patches.join('').slice(0, CODEGEN_LIMITS.userEdits) };
  }
}
