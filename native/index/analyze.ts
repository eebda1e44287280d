// Parses a file once and derives both its chunks and its tags from the same tree.
import { chunkTree, lineWindowChunks, parseSource, DEFAULT_MAX_CHUNK_TOKENS, type ChunkOptions } from './chunker';
import { fileCards } from './file-card';
import { languageForPath } from './languages';
import { tagsFromTree } from './tags';
import type { ChunkResult, FileTags } from './types';

export interface Analysis extends ChunkResult {
  tags: FileTags;
}

export async function analyzeSource(rel: string, text: string, opts: ChunkOptions = {}): Promise<Analysis> {
  const max = opts.maxChunkTokens ?? DEFAULT_MAX_CHUNK_TOKENS;
  const lang = languageForPath(rel);
  const noTags: FileTags = { defs: [], refs: [] };
  // Every file ends with its cards (file-card.ts): the chunks the index embeds.
  if (!lang) return { lang, chunks: [...lineWindowChunks(rel, null, text, max), ...fileCards(rel, null, text, noTags)], tags: noTags };
  const parsed = await parseSource(lang, text);
  if ('error' in parsed) {
    return {
      lang,
      chunks: [...lineWindowChunks(rel, lang, text, max), ...fileCards(rel, lang, text, noTags)],
      tags: noTags,
      parseError: parsed.error,
    };
  }
  try {
    // Tags come from the tree even when it has syntax errors: tree-sitter recovers, and the names it did
    // parse still place the file in the repo map.
    const result = chunkTree(rel, lang, text, parsed.tree, max);
    const tags = await tagsFromTree(rel, lang, parsed.tree);
    return { ...result, chunks: [...result.chunks, ...fileCards(rel, lang, text, tags, parsed.tree)], tags };
  } finally {
    parsed.tree.delete();
  }
}
