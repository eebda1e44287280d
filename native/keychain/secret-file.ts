// Small JSON file of opaque entries written atomically (temp + fsync + rename): the storage under file-based keychains.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { EvolveError } from '../../common/errors';

/** Reads and validates `path`; a missing file is `undefined`, a malformed one is CORRUPT (never silently reset). */
export function readJsonFile<T extends z.ZodType>(path: string, schema: T): z.output<T> | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new EvolveError('CORRUPT', `${path} is not valid JSON`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new EvolveError('CORRUPT', `${path} has an unexpected shape`);
  return r.data;
}

/** Replaces `path` atomically with mode 0600, so a crash leaves either the old or the new file, never half of one. */
export function writeJsonFileAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dfd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
