// The shadow repository's own info/exclude and info/attributes: what snapshots leave out beyond the project's
// .gitignore, and attributes that store every file byte for byte (no eol conversion, no filters, no ident).
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Left out even without a .gitignore: dependency and cache folders that are large, re-creatable, and would make
 * every snapshot slow (Roo Code keeps a longer list; ours stays short so user files are not silently skipped).
 */
export const DEFAULT_EXCLUDES = [
  'node_modules/',
  '.venv/',
  '__pycache__/',
  '.pytest_cache/',
  '.mypy_cache/',
  '.ruff_cache/',
  '.tox/',
  '.gradle/',
  '.DS_Store',
  'Thumbs.db',
];

/**
 * Highest-precedence attributes (`$GIT_DIR/info/attributes`): the project's .gitattributes cannot turn on text
 * normalisation, eol rewriting, clean/smudge filters (LFS) or `$Id$` expansion for the shadow copy.
 */
export const SHADOW_ATTRIBUTES = '* -text !eol -filter -ident !working-tree-encoding\n';

/** Writes info/exclude (defaults + the user's own .git/info/exclude, read only) and info/attributes. */
export async function writeShadowInfo(gitDir: string, root: string, extraExcludes: string[] = []): Promise<void> {
  const info = path.join(gitDir, 'info');
  await fs.mkdir(info, { recursive: true });
  // The user's repo-local excludes are part of "what the user ignores"; we only read them.
  const userExclude = await fs.readFile(path.join(root, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
  const exclude = [
    '# written by Evolve Studio checkpoints',
    ...DEFAULT_EXCLUDES,
    ...extraExcludes,
    '',
    '# from the project .git/info/exclude',
    userExclude,
  ].join('\n');
  await writeIfChanged(path.join(info, 'exclude'), exclude);
  await writeIfChanged(path.join(info, 'attributes'), SHADOW_ATTRIBUTES);
}

async function writeIfChanged(file: string, text: string): Promise<void> {
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current !== text) await fs.writeFile(file, text, 'utf8');
}
