// What the index worker does per project: walk → (skip unchanged) → read, hash → one parse → chunks + tags,
// reported as one event per path; cancel stops between files.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EvolveError } from '../../common/errors';
import { analyzeSource, type Analysis } from './analyze';
import type { ChunkTextParamsSchema, IndexFileEvent, WalkAndChunkParams, WalkAndChunkResult } from './protocol';
import type { z } from 'zod';
import { walkPaths, walkProject, type WalkOptions } from './walk';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export async function walkAndChunk(
  params: WalkAndChunkParams,
  signal: AbortSignal,
  emit: (e: IndexFileEvent) => void,
): Promise<WalkAndChunkResult> {
  const started = performance.now();
  const known = new Map((params.known ?? []).map((k) => [k.rel, k]));
  const walkOpts: WalkOptions = { include: params.include, exclude: params.exclude, maxFileBytes: params.maxFileBytes, signal };
  const items = params.paths ? walkPaths(params.root, params.paths, walkOpts) : walkProject(params.root, walkOpts);
  const totals = { files: 0, unchanged: 0, skipped: 0, errors: 0, chunks: 0 };

  for await (const item of items) {
    if (signal.aborted) throw new EvolveError('CANCELLED', 'Indexing cancelled');
    if (item.kind === 'gone') {
      emit({ type: 'gone', rel: item.rel });
      continue;
    }
    if (item.kind === 'skipped') {
      totals.skipped++;
      emit({ type: 'skipped', rel: item.rel, reason: item.reason });
      continue;
    }
    if (item.kind === 'error') {
      totals.errors++;
      emit({ type: 'error', rel: item.rel, code: item.code, message: item.message });
      continue;
    }
    const prev = known.get(item.rel);
    if (prev && prev.size === item.size && prev.mtimeMs === item.mtimeMs) {
      totals.unchanged++;
      emit({ type: 'unchanged', rel: item.rel, size: item.size, mtimeMs: item.mtimeMs });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(item.abs, { signal });
    } catch (e) {
      if (signal.aborted) throw new EvolveError('CANCELLED', 'Indexing cancelled');
      const err = e as NodeJS.ErrnoException;
      totals.errors++;
      emit({ type: 'error', rel: item.rel, code: err.code ?? 'EIO', message: `Cannot read ${item.rel}: ${err.message}` });
      continue;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const analysis = await analyzeSource(item.rel, utf8.decode(bytes), { maxChunkTokens: params.maxChunkTokens });
    totals.files++;
    totals.chunks += analysis.chunks.length;
    emit({
      type: 'file',
      rel: item.rel,
      size: bytes.length,
      mtimeMs: item.mtimeMs,
      hash,
      lang: analysis.lang,
      chunks: analysis.chunks,
      tags: analysis.tags,
      ...(analysis.parseError ? { parseError: analysis.parseError } : {}),
    });
  }
  return { ...totals, durationMs: performance.now() - started };
}

/** Chunks and tags one text the caller already holds (an unsaved buffer, a test). */
export function chunkText(params: z.output<typeof ChunkTextParamsSchema>): Promise<Analysis> {
  return analyzeSource(params.rel, params.text, { maxChunkTokens: params.maxChunkTokens });
}
