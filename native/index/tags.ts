// Definitions and references of identifiers in one file, from tree-sitter tag queries (Aider's tags).
import { EvolveError } from '../../common/errors';
import type { FileTags } from './types';

export async function extractTags(rel: string, text: string): Promise<FileTags> {
  void rel;
  void text;
  throw new EvolveError('UNAVAILABLE', 'extractTags: landing shortly');
}
