// Index worker entry: walks a project, hashes, chunks and tags its files and builds repo maps, so main never
// parses code. Methods: `walk-and-chunk` (a stream of IndexFileEvent), `chunk-text`, `repo-map`, `info`.
import os from 'node:os';
import { serveWorker, type WorkerHandler } from '../rpc/serve';
import { loadAllGrammars } from './grammars';
import { chunkText, walkAndChunk } from './pipeline';
import { ChunkTextParamsSchema, RepoMapParamsSchema, WalkAndChunkParamsSchema, parseOrThrow } from './protocol';
import { buildRepoMap } from './repo-map';

const handlers: Record<string, WorkerHandler> = {
  info: () => loadAllGrammars(),
  'walk-and-chunk': (p, ctx) => walkAndChunk(parseOrThrow(WalkAndChunkParamsSchema, p, 'walk-and-chunk'), ctx.signal, ctx.emit),
  'chunk-text': (p) => chunkText(parseOrThrow(ChunkTextParamsSchema, p, 'chunk-text')),
  'repo-map': (p) => {
    const params = parseOrThrow(RepoMapParamsSchema, p, 'repo-map');
    return buildRepoMap({ ...params, tags: new Map(Object.entries(params.tags)) });
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
