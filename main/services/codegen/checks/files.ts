// Validates the files handed to a check (relative, inside the root, unique) and writes them into a private temp dir,
// so the external tools see only the generated code — never the project's configs or anything beside it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CodeFileSchema, type CodeFile } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';

const MAX_FILES = 200;

/** Parses the input and normalises each path to a POSIX relative path; bad input is INVALID_ARGUMENT. */
export function validateFiles(input: unknown): CodeFile[] {
  const parsed = z.array(CodeFileSchema).max(MAX_FILES).safeParse(input);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid files: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
  const seen = new Set<string>();
  return parsed.data.map((f) => {
    const rel = normaliseRelative(f.path);
    if (seen.has(rel)) throw new EvolveError('INVALID_ARGUMENT', `Duplicate file path: ${rel}`);
    seen.add(rel);
    return { path: rel, content: f.content };
  });
}

function normaliseRelative(p: string): string {
  if (p.includes('\0')) throw new EvolveError('INVALID_ARGUMENT', 'File path contains a NUL byte');
  const posix = p.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[a-zA-Z]:/.test(posix)) throw new EvolveError('INVALID_ARGUMENT', `File path must be relative: ${p}`);
  const norm = path.posix.normalize(posix);
  if (norm === '.' || norm === '..' || norm.startsWith('../')) throw new EvolveError('INVALID_ARGUMENT', `File path leaves the root: ${p}`);
  return norm;
}

/** A temp dir holding exactly `files`; `dispose` removes it. Paths were validated, so they stay inside `dir`. */
export async function materialise(files: CodeFile[]): Promise<{ dir: string; dispose: () => Promise<void> }> {
  // The real path: tools report absolute paths resolved through symlinks (macOS's /tmp is /private/tmp).
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'evolve-checks-')));
  try {
    for (const f of files) {
      const target = path.join(dir, f.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, f.content, { mode: 0o600 });
    }
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
}

export const hasExt = (f: CodeFile, exts: readonly string[]): boolean => exts.includes(path.posix.extname(f.path).toLowerCase());
