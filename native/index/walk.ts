// Walks a project folder: .gitignore (nested) + .evolveignore semantics, include/exclude globs, binary and
// size checks, symlinks kept inside the root, and every per-path problem reported as an item, never thrown.
import type { Dirent, Stats } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { EvolveError } from '../../common/errors';
import type { WalkItem } from './types';
import {
  DEFAULT_IGNORES,
  IGNORE_FILES,
  isIgnored,
  looksBinary,
  makeGlobFilter,
  makeRules,
  type GlobFilter,
  type IgnoreRules,
} from './walk-rules';

export interface WalkOptions {
  include?: string[];
  exclude?: string[];
  /** Files above this are `too-large` (decided by stat, never read). Default 1 MiB. */
  maxFileBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** A path asked for by name (walkPaths) that no longer exists. */
export interface GoneItem {
  kind: 'gone';
  rel: string;
}

interface Ctx {
  rootReal: string;
  maxFileBytes: number;
  globs: GlobFilter;
  signal: AbortSignal | undefined;
  /** Real paths of folders already walked, so a symlinked folder is not walked twice. */
  visited: Set<string>;
}

/**
 * Walks `root` depth-first in name order. Throws only for the root itself (missing, not a folder) and on
 * cancel; everything below the root becomes an item.
 */
export async function* walkProject(root: string, opts: WalkOptions = {}): AsyncIterable<WalkItem> {
  const ctx = await makeCtx(root, opts);
  ctx.visited.add(ctx.rootReal);
  for await (const item of walkDir(ctx, ctx.rootReal, ctx.rootReal, '', await rootRules(ctx.rootReal), [ctx.rootReal])) {
    if (item.kind !== 'gone') yield item; // only by-name visits report `gone`
  }
}

/**
 * Checks only `rels` (e.g. from a file watcher) with the same rules as a full walk: the ignore files of every
 * folder on the way, globs, size, binary and symlink checks. A path that no longer exists is `gone`; a folder
 * is walked.
 */
export async function* walkPaths(root: string, rels: string[], opts: WalkOptions = {}): AsyncIterable<WalkItem | GoneItem> {
  const ctx = await makeCtx(root, opts);
  const rulesCache = new Map<string, IgnoreRules>();
  for (const raw of new Set(rels)) {
    checkAbort(ctx.signal);
    const rel = path.posix.normalize(raw.replaceAll('\\', '/')).replace(/\/+$/, '');
    if (!rel || rel === '.' || rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) {
      yield { kind: 'error', rel: raw, code: 'INVALID_PATH', message: `Not a path inside the project: ${raw}` };
      continue;
    }
    const parts = rel.split('/');
    let rules = await rootRules(ctx.rootReal);
    let blocked = false;
    for (let i = 0; i < parts.length - 1 && !blocked; i++) {
      const dirRel = parts.slice(0, i + 1).join('/');
      if (isIgnored(rules, dirRel, true) || ctx.globs.excluded(dirRel)) blocked = true;
      else rules = await rulesFor(rulesCache, ctx.rootReal, dirRel, rules);
    }
    if (blocked) {
      yield { kind: 'skipped', rel, reason: 'ignored' };
      continue;
    }
    yield* visitEntry(ctx, path.join(ctx.rootReal, ...parts), rel, null, rules, [ctx.rootReal], true);
  }
}

async function makeCtx(root: string, opts: WalkOptions): Promise<Ctx> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EvolveError(code === 'ENOENT' ? 'NOT_FOUND' : 'UNAVAILABLE', `Cannot open the project folder ${root}: ${code ?? String(e)}`);
  }
  if (!(await stat(rootReal)).isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `${root} is not a folder`);
  return {
    rootReal,
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    globs: makeGlobFilter(opts.include, opts.exclude),
    signal: opts.signal,
    visited: new Set(),
  };
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EvolveError('CANCELLED', 'Walk cancelled');
}

/** Built-in ignores, then .git/info/exclude (git's order), then the root's own ignore files. */
async function rootRules(rootReal: string): Promise<IgnoreRules> {
  const gitExclude = await readFile(path.join(rootReal, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
  return makeRules(undefined, '', [DEFAULT_IGNORES.join('\n'), gitExclude, ...(await readIgnoreFiles(rootReal))]);
}

async function readIgnoreFiles(dirAbs: string, present?: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  for (const name of IGNORE_FILES) {
    if (present && !present.has(name)) continue;
    // An unreadable ignore file is treated as empty: failing the walk over it would hide the whole folder.
    out.push(await readFile(path.join(dirAbs, name), 'utf8').catch(() => ''));
  }
  return out;
}

async function rulesFor(cache: Map<string, IgnoreRules>, rootReal: string, dirRel: string, parent: IgnoreRules) {
  const hit = cache.get(dirRel);
  if (hit) return hit;
  const rules = makeRules(parent, dirRel, await readIgnoreFiles(path.join(rootReal, ...dirRel.split('/'))));
  cache.set(dirRel, rules);
  return rules;
}

async function* walkDir(
  ctx: Ctx,
  dirAbs: string,
  dirReal: string,
  dirRel: string,
  parentRules: IgnoreRules,
  chain: string[],
): AsyncGenerator<WalkItem | GoneItem> {
  checkAbort(ctx.signal);
  let entries: Dirent[];
  try {
    entries = await readdir(dirAbs, { withFileTypes: true });
  } catch (e) {
    yield dirError(dirRel, e);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rules = dirRel ? makeRules(parentRules, dirRel, await readIgnoreFiles(dirAbs, new Set(entries.map((d) => d.name)))) : parentRules;
  for (const entry of entries) {
    checkAbort(ctx.signal);
    const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
    yield* visitEntry(ctx, path.join(dirAbs, entry.name), rel, { entry, dirReal }, rules, chain, false);
  }
}

function dirError(dirRel: string, e: unknown): WalkItem {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? 'EIO';
  const message =
    code === 'ENOENT' ? `Folder ${dirRel || '.'} disappeared during the walk` : `Cannot list folder ${dirRel || '.'}: ${err.message}`;
  return { kind: 'error', rel: dirRel || '.', code, message };
}

async function* visitEntry(
  ctx: Ctx,
  abs: string,
  rel: string,
  from: { entry: Dirent; dirReal: string } | null,
  rules: IgnoreRules,
  chain: string[],
  byName: boolean,
): AsyncGenerator<WalkItem | GoneItem> {
  let real: string;
  let st: Stats;
  const isLink = from ? from.entry.isSymbolicLink() : true; // by name: resolve every time, cheap enough
  try {
    real = isLink || !from ? await realpath(abs) : path.join(from.dirReal, from.entry.name);
    st = await stat(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ELOOP') yield { kind: 'skipped', rel, reason: 'symlink-loop' };
    else if (code === 'ENOENT' && byName) yield { kind: 'gone', rel };
    else if (code === 'ENOENT' && isLink) yield { kind: 'error', rel, code, message: `Broken symbolic link ${rel}` };
    else if (code === 'ENOENT') yield { kind: 'error', rel, code, message: `${rel} disappeared during the walk` };
    else yield { kind: 'error', rel, code, message: `Cannot read ${rel}: ${(e as Error).message}` };
    return;
  }
  if (real !== ctx.rootReal && !real.startsWith(ctx.rootReal + path.sep)) {
    yield { kind: 'skipped', rel, reason: 'symlink-outside' };
    return;
  }
  if (st.isDirectory()) {
    if (isIgnored(rules, rel, true) || ctx.globs.excluded(rel)) {
      yield { kind: 'skipped', rel, reason: 'ignored' };
      return;
    }
    if (chain.includes(real)) {
      yield { kind: 'skipped', rel, reason: 'symlink-loop' };
      return;
    }
    if (ctx.visited.has(real)) {
      // Reached again through a second symlink: walked once already, under its first path.
      yield { kind: 'skipped', rel, reason: 'ignored' };
      return;
    }
    ctx.visited.add(real);
    yield* walkDir(ctx, abs, real, rel, rules, [...chain, real]);
    return;
  }
  if (!st.isFile()) return; // sockets, FIFOs, devices: never opened (a FIFO would block the read)
  if (isIgnored(rules, rel, false) || ctx.globs.excluded(rel) || !ctx.globs.fileIncluded(rel)) {
    yield { kind: 'skipped', rel, reason: 'ignored' };
    return;
  }
  if (st.size > ctx.maxFileBytes) {
    yield { kind: 'skipped', rel, reason: 'too-large' };
    return;
  }
  try {
    if (await looksBinary(real)) {
      yield { kind: 'skipped', rel, reason: 'binary' };
      return;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    yield { kind: 'error', rel, code: err.code ?? 'EIO', message: `Cannot read ${rel}: ${err.message}` };
    return;
  }
  yield { kind: 'file', rel, abs, size: st.size, mtimeMs: st.mtimeMs };
}
