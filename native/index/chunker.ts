// Splits a source file into retrieval chunks: whole functions/classes when they fit, collapsed bodies and
// per-member chunks when they do not (Continue's approach), line windows for everything else.
import { EvolveError } from '../../common/errors';
import type { Chunk, ChunkResult } from './types';

export interface ChunkOptions {
  /** Upper bound per chunk in approximate tokens (see countTokens). Default 384. */
  maxChunkTokens?: number;
}

export const DEFAULT_MAX_CHUNK_TOKENS = 384;

/** Chunks with the language and any parse failure (the file then falls back to line windows). */
export async function chunkSource(rel: string, text: string, opts: ChunkOptions = {}): Promise<ChunkResult> {
  void rel;
  void text;
  void opts;
  throw new EvolveError('UNAVAILABLE', 'chunkSource: landing shortly');
}

export async function chunkFile(rel: string, text: string, opts: ChunkOptions = {}): Promise<Chunk[]> {
  return (await chunkSource(rel, text, opts)).chunks;
}
