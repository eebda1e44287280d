// Index worker entry: walks a project, hashes, chunks and tags its files and builds repo maps, so main never
// parses code. Methods: `walk-and-chunk` (a stream of IndexFileEvent), `chunk-text`, `repo-map`, `info`.
import os from 'node:os';
import { serveWorker, type WorkerHandler } from '../rpc/serve';
import { loadAllGrammars } from './grammars';
import { chunkText, walkAndChunk } from './pipeline';
import { ChunkTextParamsSchema, RepoMapParamsSchema, WalkAndChunkParamsSchema, parseOrThrow } from './protocol';
import { EvolveError } from '../../common/errors';
import { buildRepoMap } from './repo-map';
import type { FileTags } from './types';

/** The last few projects' tags, by the key main gives each version of them (LRU). */
const KEPT_TAGS = 3;
const keptTags = new Map<string, Map<string, FileTags>>();

const handlers: Record<string, WorkerHandler> = {
  info: () => loadAllGrammars(),
  'walk-and-chunk': (p, ctx) => walkAndChunk(parseOrThrow(WalkAndChunkParamsSchema, p, 'walk-and-chunk'), ctx.signal, ctx.emit),
  'chunk-text': (p) => chunkText(parseOrThrow(ChunkTextParamsSchema, p, 'chunk-text')),
  'repo-map': (p) => {
    const { tags, tagsKey, ...params } = parseOrThrow(RepoMapParamsSchema, p, 'repo-map');
    const map = tags ? new Map(Object.entries(tags)) : tagsKey ? keptTags.get(tagsKey) : undefined;
    if (!map) throw new EvolveError('NOT_FOUND', `tags ${tagsKey ?? ''} are not kept here; send them`);
    if (tags && tagsKey) {
      keptTags.delete(tagsKey);
      keptTags.set(tagsKey, map);
      while (keptTags.size > KEPT_TAGS) keptTags.delete(keptTags.keys().next().value as string);
    }
    return buildRepoMap({ ...params, tags: map });
  },
};

// Indexing must never compete with chat or completion for the CPU: run this process at low priority.
try {
  os.setPriority(process.pid, Math.max(os.getPriority(process.pid), 10));
} catch {
  // Not permitted on some systems; indexing then runs at normal priority.
}

// Ready only once every grammar has loaded: an ABI mismatch shows up at start, not on the first file.
serveWorker(handlers, () => loadAllGrammars());
