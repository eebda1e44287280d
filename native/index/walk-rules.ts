// The rules a walk applies to each path: ignore files (git semantics, nested), built-in ignores, per-project
// include/exclude globs, and the binary-content sniff.
import { open } from 'node:fs/promises';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/** Ignore files read in every folder, in this order (a later file's rules win, as a deeper folder's do). */
export const IGNORE_FILES = ['.gitignore', '.evolveignore'] as const;

/**
 * Ignored unless an ignore file negates them: version-control internals, dependency and cache folders, and
 * lock files (generated, large, never what a question is about). Continue and Cursor ship similar lists.
 */
export const DEFAULT_IGNORES = [
  '.git/',
  '.hg/',
  '.svn/',
  'node_modules/',
  '__pycache__/',
  '.venv/',
  '.mypy_cache/',
  '.pytest_cache/',
  '.DS_Store',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
];

/**
 * The ignore rules in force in one folder: every rule from the root down to it, rebased to the root, in git's
 * order of precedence (later wins: built-ins, .git/info/exclude, then each folder's files from the root down).
 * One matcher over all of them keeps git's semantics across files, including a deeper file re-including a
 * folder that a shallower one excluded, which per-file matchers get wrong.
 */
export interface IgnoreRules {
  rules: readonly string[];
  ig: Ignore;
}

export function makeRules(parent: IgnoreRules | undefined, base: string, sources: string[]): IgnoreRules {
  const own = sources.flatMap((src) => src.split(/\r?\n/)).flatMap((line) => rebase(line, base));
  if (parent && own.length === 0) return parent;
  const rules = [...(parent?.rules ?? []), ...own];
  return { rules, ig: ignore({ allowRelativePaths: true }).add(rules) };
}

/** Rewrites one .gitignore line of folder `base` as a root-relative rule (git's anchoring rules). */
function rebase(line: string, base: string): string[] {
  if (!line.trim() || line.startsWith('#')) return [];
  if (!base) return [line];
  const neg = line.startsWith('!');
  const body = neg ? line.slice(1) : line;
  const withoutTrailing = body.endsWith('/') ? body.slice(0, -1) : body;
  // A slash at the start or in the middle anchors the pattern to its folder; otherwise it matches at any depth.
  const anchored = withoutTrailing.includes('/');
  const rebased = anchored ? `${base}/${body.replace(/^\//, '')}` : `${base}/**/${body}`;
  return [`${neg ? '!' : ''}${rebased}`];
}

/** `rel` is relative to the root; folders are tested with a trailing '/' so folder-only rules apply. */
export function isIgnored(rules: IgnoreRules, rel: string, isDir: boolean): boolean {
  return rules.ig.ignores(isDir ? `${rel}/` : rel);
}

export interface GlobFilter {
  /** Files must match one include glob when any are given. */
  fileIncluded(rel: string): boolean;
  /** An excluded folder is not entered at all. */
  excluded(rel: string): boolean;
}

export function makeGlobFilter(include: string[] | undefined, exclude: string[] | undefined): GlobFilter {
  const inc = include?.length ? picomatch(include, { dot: true }) : undefined;
  const exc = exclude?.length ? picomatch(exclude, { dot: true }) : undefined;
  return {
    fileIncluded: (rel) => (inc ? inc(rel) : true),
    excluded: (rel) => (exc ? exc(rel) : false),
  };
}

export const SNIFF_BYTES = 8192;

/**
 * True when the first 8 KB hold a NUL byte or are not valid UTF-8 (git and ripgrep use the NUL test; the
 * UTF-8 test also catches Latin-1 and UTF-16 files, which the chunker would garble). A multi-byte sequence
 * cut by the 8 KB boundary is not an error.
 */
export async function looksBinary(abs: string): Promise<boolean> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.includes(0)) return true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
      return false;
    } catch {
      return true;
    }
  } finally {
    await fh.close();
  }
}
