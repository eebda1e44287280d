// Walks a project folder: .gitignore (nested) + .evolveignore semantics, include/exclude globs, binary and
// size checks, symlinks kept inside the root, and every problem reported as an item instead of thrown.
import { EvolveError } from '../../common/errors';
import type { WalkItem } from './types';

export interface WalkOptions {
  include?: string[];
  exclude?: string[];
  /** Files above this are `too-large` (checked with stat, never read). Default 1 MiB. */
  maxFileBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

// eslint-disable-next-line require-yield -- stub until the walk lands
export async function* walkProject(root: string, opts: WalkOptions = {}): AsyncIterable<WalkItem> {
  void root;
  void opts;
  throw new EvolveError('UNAVAILABLE', 'walkProject: landing shortly');
}

/** A path asked for by name (walkPaths) that no longer exists. */
export interface GoneItem {
  kind: 'gone';
  rel: string;
}

/**
 * Checks only `rels` (e.g. from a file watcher) with the same rules as a full walk: ignore files on the
 * path, globs, size, binary and symlink checks. A path that does not exist any more is `gone`.
 */
// eslint-disable-next-line require-yield -- stub until the walk lands
export async function* walkPaths(root: string, rels: string[], opts: WalkOptions = {}): AsyncIterable<WalkItem | GoneItem> {
  void root;
  void rels;
  void opts;
  throw new EvolveError('UNAVAILABLE', 'walkPaths: landing shortly');
}
