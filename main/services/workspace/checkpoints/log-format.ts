// Reads and writes what the shadow repository stores as text: checkpoint trailers in commit messages, `git log -z
// --name-only` records, `diff-tree --raw -z` entries and a multi-file patch split per file.
import { CheckpointSchema, type Checkpoint, type CheckpointFileChange } from './types';

const TRAILER_PREFIX = 'Evolve-';

export function trailerText(trailers: Record<string, string>): string {
  return Object.entries(trailers)
    .map(([k, v]) => `${TRAILER_PREFIX}${k}: ${v}`)
    .join('\n');
}

function readTrailers(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^Evolve-([A-Za-z-]+): (.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/**
 * Parses `git log -z --name-only --format=%x1e%H%x1f%B%x1f`: records start with 0x1e, the id and message end with
 * 0x1f, then NUL-separated paths. Commits not written by the store (no Evolve-Kind trailer) are skipped.
 */
export function parseLog(stdout: Buffer, maxPaths: number): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (const record of stdout.toString('utf8').split('\x1e')) {
    if (!record) continue;
    const [id = '', body = '', rest = ''] = record.split('\x1f');
    const t = readTrailers(body);
    const files = rest
      .replace(/^\0\n?/, '')
      .split('\0')
      .filter((s) => s.length > 0);
    const parsed = CheckpointSchema.safeParse({
      id: id.trim(),
      at: Number(t.At),
      label: body.split('\n')[0] ?? '',
      kind: t.Kind,
      files: files.slice(0, maxPaths),
      filesTotal: files.length,
      ...(t['Undo-Of'] ? { undoOf: t['Undo-Of'] } : {}),
      ...(t['Restore-Of'] ? { restoreOf: t['Restore-Of'] } : {}),
    });
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

const STATUS: Record<string, CheckpointFileChange['status']> = { A: 'added', M: 'modified', D: 'deleted', T: 'type-changed' };

/** `diff-tree --raw -z`: `:<mode> <mode> <sha> <sha> <status>\0<path>\0` per file. */
export function parseRawDiff(stdout: Buffer): { path: string; status: CheckpointFileChange['status'] }[] {
  const tokens = stdout.toString('utf8').split('\0');
  const out: { path: string; status: CheckpointFileChange['status'] }[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const code = tokens[i]!.trim().split(' ').pop() ?? '';
    out.push({ path: tokens[i + 1]!, status: STATUS[code[0] ?? ''] ?? 'modified' });
  }
  return out;
}

/** Splits a multi-file patch at each `diff --git` header (same order as the raw listing: both sorted by path). */
export function splitPatch(stdout: Buffer): string[] {
  const text = stdout.toString('utf8');
  const starts: number[] = [];
  const re = /^diff --git /gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
}
