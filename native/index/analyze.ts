// Parses a file once and derives both its chunks and its tags from the same tree.
import type { ChunkOptions } from './chunker';
import { EvolveError } from '../../common/errors';
import type { ChunkResult, FileTags } from './types';

export interface Analysis extends ChunkResult {
  tags: FileTags;
}

export async function analyzeSource(rel: string, text: string, opts: ChunkOptions = {}): Promise<Analysis> {
  void rel;
  void text;
  void opts;
  throw new EvolveError('UNAVAILABLE', 'analyzeSource: landing shortly');
}
