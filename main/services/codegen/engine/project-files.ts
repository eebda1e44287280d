// Reads what a generation needs from a project folder: the target file (inside the root only), the project's source
// files for the sandbox (so a candidate's imports and the user's tests resolve), and the user's tests for the target.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CodeFile, Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';

/** Folders never copied: environments, builds, VCS. Their venv/node_modules are mounted read-only instead. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', 'env', '__pycache__', 'dist', 'build', 'out', '.tox', '.mypy_cache']);
const EXTS: Record<Language, RegExp> = {
  python: /\.pyi?$|^(?:conftest\.py|pytest\.ini|pyproject\.toml|setup\.cfg)$/,
  typescript: /\.(?:[cm]?tsx?|[cm]?jsx?|json)$/,
  javascript: /\.(?:[cm]?jsx?|json)$/,
  go: /\.go$|^go\.(?:mod|sum)$/,
  rust: /\.rs$|^Cargo\.toml$/,
  java: /\.java$/,
  cpp: /\.(?:cc|cpp|cxx|h|hh|hpp)$/,
};
export const PROJECT_FILES_LIMIT = { files: 300, bytes: 2 * 1024 * 1024, fileBytes: 256 * 1024 } as const;

/** A path relative to the root that stays inside it (no '..', not absolute, no symlink out). */
export async function resolveInside(root: string, rel: string): Promise<string> {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  if (path.isAbsolute(norm) || norm.startsWith('..')) throw new EvolveError('INVALID_ARGUMENT', `${rel} is outside the project`);
  const realRoot = await realpath(root);
  const abs = path.join(realRoot, norm);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    return abs; // a new file: its folder is checked by the write path, which is not this one
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new EvolveError('INVALID_ARGUMENT', `${rel} leaves the project`);
  return real;
}

/** The text of a project file, or undefined when it does not exist. */
export async function readProjectFile(root: string, rel: string): Promise<string | undefined> {
  const abs = await resolveInside(root, rel);
  try {
    const st = await lstat(abs);
    if (!st.isFile()) return undefined;
    if (st.size > PROJECT_FILES_LIMIT.fileBytes * 4) throw new EvolveError('INVALID_ARGUMENT', `${rel} is too large to edit here`);
    return await readFile(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The project's files whose names `wanted` accepts, in name order, capped (files, bytes); environments, builds and
 * dot-folders skipped, symlinks not followed. The one walker for what a generation or the performance lab reads.
 */
export async function cappedProjectFiles(root: string, wanted: (name: string) => boolean): Promise<CodeFile[]> {
  const out: CodeFile[] = [];
  let bytes = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= PROJECT_FILES_LIMIT.files) return;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(r);
      } else if (e.isFile() && wanted(e.name)) {
        const st = await lstat(path.join(root, r));
        if (st.size > PROJECT_FILES_LIMIT.fileBytes || bytes + st.size > PROJECT_FILES_LIMIT.bytes) continue;
        bytes += st.size;
        out.push({ path: r, content: await readFile(path.join(root, r), 'utf8') });
      }
    }
  };
  await walk('');
  return out;
}

/** The project's source files of the language, capped (files, bytes); symlinks are not followed. */
export function projectSources(root: string, language: Language): Promise<CodeFile[]> {
  return cappedProjectFiles(root, (name) => EXTS[language].test(name));
}

/** Whether a file is a test file by the usual conventions (pytest, node --test, jest/vitest, go). */
export function isTestFile(p: string): boolean {
  const base = path.posix.basename(p);
  return /^test_.*\.py$|_test\.(?:py|go)$|\.(?:test|spec)\.[cm]?[jt]sx?$/.test(base) || /(?:^|\/)(?:tests?|__tests__)\//.test(p);
}

/** The user's tests for the target: test files that name the target's module (test_foo.py, foo.test.ts, …). */
export function userTestsFor(files: readonly CodeFile[], target: string | undefined): CodeFile[] {
  const tests = files.filter(
    (f) => isTestFile(f.path) && /\.(?:py|[cm]?[jt]sx?|go)$/.test(f.path) && path.posix.basename(f.path) !== 'conftest.py',
  );
  if (!target) return [];
  const stem = path.posix.basename(target).replace(/\.[^.]+$/, '');
  const module = target.replace(/\.[^.]+$/, '').replace(/\//g, '.');
  const esc = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return tests.filter((t) => {
    const name = path.posix.basename(t.path);
    return (
      name.startsWith(`test_${stem}.`) ||
      name.startsWith(`${stem}_test.`) ||
      name.startsWith(`${stem}.test.`) ||
      name.startsWith(`${stem}.spec.`) ||
      new RegExp(`\\b(?:from|import)\\s+[\\w.]*\\b${esc}\\b|from\\s+['"][./\\w-]*\\b${esc}(?:\\.[jt]s)?['"]`).test(t.content) ||
      t.content.includes(module)
    );
  });
}
