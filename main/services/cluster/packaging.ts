// Working-dir packages for Ray: walk a folder with exclusions, zip it deterministically, name it _ray_pkg_<sha1>.zip.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { EvolveError } from '../../../common/errors';

/** Folders that are never part of a job's code: VCS data, dependency trees, caches, virtualenvs. */
export const DEFAULT_EXCLUDED_NAMES = [
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.mypy_cache',
  '.pytest_cache',
  '.DS_Store',
];
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Ray's GCS keeps packages in gRPC messages (~512 MiB hard cap); uploads above ~100 MiB are slow and fragile. */
export const DEFAULT_MAX_PACKAGE_BYTES = 100 * 1024 * 1024;
// A fixed timestamp makes the zip's bytes, and so its hash and name, depend only on content.
const FIXED_MTIME = new Date(Date.UTC(2020, 0, 1));

export interface ExcludedEntry {
  path: string; // relative, with forward slashes
  reason: 'excluded-name' | 'too-large' | 'symlink' | 'not-a-file';
  bytes?: number;
}

export interface PackageOptions {
  excludeNames?: string[];
  maxFileBytes?: number;
  maxPackageBytes?: number;
}

export interface BuiltPackage {
  name: string; // _ray_pkg_<sha1>.zip
  uri: string; // gcs://_ray_pkg_<sha1>.zip
  zip: Buffer;
  files: { path: string; bytes: number }[];
  excluded: ExcludedEntry[];
}

interface Walked {
  files: { abs: string; rel: string; bytes: number; mode: number }[];
  excluded: ExcludedEntry[];
}

async function walk(root: string, opts: Required<Pick<PackageOptions, 'maxFileBytes'>> & { names: Set<string> }): Promise<Walked> {
  const out: Walked = { files: [], excluded: [] };
  const visit = async (dir: string) => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (opts.names.has(e.name)) {
        out.excluded.push({ path: rel, reason: 'excluded-name', bytes: await du(abs) });
      } else if (e.isSymbolicLink()) {
        // Links may point outside the folder (or loop); Ray's own packager follows them, we refuse to guess.
        out.excluded.push({ path: rel, reason: 'symlink' });
      } else if (e.isDirectory()) {
        await visit(abs);
      } else if (e.isFile()) {
        const st = await fs.stat(abs);
        if (st.size > opts.maxFileBytes) out.excluded.push({ path: rel, reason: 'too-large', bytes: st.size });
        else out.files.push({ abs, rel, bytes: st.size, mode: st.mode & 0o777 });
      } else {
        out.excluded.push({ path: rel, reason: 'not-a-file' });
      }
    }
  };
  await visit(root);
  return out;
}

/** Disk use of an excluded entry, so the report says how much was left out (bounded: stops counting at 100k entries). */
async function du(p: string, budget = { n: 100_000 }): Promise<number> {
  const st = await fs.lstat(p).catch(() => null);
  if (!st || budget.n-- <= 0) return 0;
  if (!st.isDirectory()) return st.size;
  let sum = 0;
  for (const name of await fs.readdir(p).catch(() => [] as string[])) sum += await du(path.join(p, name), budget);
  return sum;
}

/** Biggest included top-level entries (folder or file), for a too-large error that tells what to exclude. */
export function biggestOffenders(files: { path: string; bytes: number }[], n = 5): { path: string; bytes: number }[] {
  const byTop = new Map<string, number>();
  for (const f of files) {
    const top = f.path.includes('/') ? `${f.path.split('/')[0]}/` : f.path;
    byTop.set(top, (byTop.get(top) ?? 0) + f.bytes);
  }
  return [...byTop.entries()]
    .map(([p, bytes]) => ({ path: p, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n);
}

export const mib = (b: number): string => `${(b / (1024 * 1024)).toFixed(1)} MiB`;

function tooLarge(
  what: string,
  size: number,
  limit: number,
  files: { path: string; bytes: number }[],
  excluded: ExcludedEntry[],
): EvolveError {
  const top = biggestOffenders(files);
  const list = top.map((o) => `${o.path} (${mib(o.bytes)})`).join(', ');
  return new EvolveError(
    'RESOURCE_EXHAUSTED',
    `The working directory is too large to upload: ${what} ${mib(size)} exceeds the ${mib(limit)} limit. Biggest: ${list}. ` +
      'Exclude them (data and checkpoints belong in shared storage, not in the job package).',
    { size, limit, biggest: top, excluded },
  );
}

/**
 * Builds the package in memory. The size is checked twice before anything is sent: on the raw sum (so a
 * multi-GB folder is refused without zipping it) and on the zip itself, stopping as soon as it passes the limit.
 */
export async function buildPackage(dir: string, opts: PackageOptions = {}): Promise<BuiltPackage> {
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `Not a directory: ${dir}`);
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const limit = opts.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES;
  const names = new Set([...DEFAULT_EXCLUDED_NAMES, ...(opts.excludeNames ?? [])]);
  const { files, excluded } = await walk(dir, { maxFileBytes, names });
  if (files.length === 0)
    throw new EvolveError('INVALID_ARGUMENT', `Nothing to package in ${dir} (everything was excluded or it is empty)`, { excluded });
  const listed = files.map((f) => ({ path: f.rel, bytes: f.bytes }));
  const raw = files.reduce((s, f) => s + f.bytes, 0);
  // Deflate rarely shrinks code + data below a quarter; past 4× the limit the zip cannot fit.
  if (raw > 4 * limit) throw tooLarge('its files add up to', raw, limit, listed, excluded);

  const zip = new yazl.ZipFile();
  for (const f of files) zip.addFile(f.abs, f.rel, { mtime: FIXED_MTIME, mode: 0o100000 | f.mode, forceDosTimestamp: true });
  zip.end();
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const stream = zip.outputStream;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        reject(tooLarge('the zip is over', size, limit, listed, excluded));
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => resolve());
    stream.on('error', (e: Error) => reject(new EvolveError('INTERNAL', `Zipping ${dir} failed: ${e.message}`)));
    zip.on('error', (e: Error) => reject(new EvolveError('INTERNAL', `Zipping ${dir} failed: ${e.message}`)));
  });
  const buf = Buffer.concat(chunks);
  const name = `_ray_pkg_${createHash('sha1').update(buf).digest('hex')}.zip`;
  return { name, uri: `gcs://${name}`, zip: buf, files: listed, excluded };
}

export interface PackageUploader {
  packageExists(name: string, signal?: AbortSignal): Promise<boolean>;
  uploadPackage(name: string, zip: Buffer, opts?: { signal?: AbortSignal }): Promise<void>;
}

export interface EnsuredPackage extends Omit<BuiltPackage, 'zip'> {
  bytes: number;
  uploaded: boolean;
}

/** Build → size check → GET (already there? skip) → PUT. Content-addressed, so re-submits of unchanged code upload nothing. */
export async function ensurePackage(
  client: PackageUploader,
  dir: string,
  opts: PackageOptions & { signal?: AbortSignal } = {},
): Promise<EnsuredPackage> {
  const pkg = await buildPackage(dir, opts);
  const { zip, ...rest } = pkg;
  const exists = await client.packageExists(pkg.name, opts.signal);
  if (!exists) await client.uploadPackage(pkg.name, zip, { signal: opts.signal });
  return { ...rest, bytes: zip.length, uploaded: !exists };
}
