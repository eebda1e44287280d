// Small JSON files written atomically (temp file + fsync + rename), so a crash never leaves half a file.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(value, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

/**
 * Reads and validates a JSON file. Missing → `fallback`. Unreadable or invalid → `fallback` too, but the
 * bad file is kept aside (`.corrupt-<ts>`) so nothing the user had is silently lost.
 */
export async function readJsonOr<T>(file: string, schema: z.ZodType<T>, fallback: T, onCorrupt?: (why: string) => void): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
  let why: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    why = parsed.error.issues[0]?.message ?? 'schema mismatch';
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => {});
  onCorrupt?.(`${path.basename(file)} was unreadable (${why}); kept aside and reset to defaults`);
  return fallback;
}
