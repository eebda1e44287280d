// Worker handlers for conversational content: projects, threads, messages, generations and FTS5 search.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { Generation, Json, Message, Project, SearchHit, Thread } from '../../../common/store/rows';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

type Row = Record<string, unknown>;
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : (v as number));

const toProject = (r: Row): Project => ({
  id: str(r.id),
  name: str(r.name),
  rootPath: strOrNull(r.root_path),
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});
const toThread = (r: Row): Thread => ({
  id: str(r.id),
  projectId: strOrNull(r.project_id),
  title: str(r.title),
  createdAt: r.created_at as number,
});
const toMessage = (r: Row): Message => ({
  id: str(r.id),
  threadId: str(r.thread_id),
  role: r.role as Message['role'],
  content: str(r.content),
  model: strOrNull(r.model),
  stats: r.stats === null || r.stats === undefined ? null : (JSON.parse(str(r.stats)) as Json),
  createdAt: r.created_at as number,
});
export const toGeneration = (r: Row): Generation => ({
  id: str(r.id),
  projectId: strOrNull(r.project_id),
  threadId: strOrNull(r.thread_id),
  prompt: str(r.prompt),
  contextRefs: JSON.parse(str(r.context_refs)) as string[],
  provider: str(r.provider),
  model: str(r.model),
  output: str(r.output),
  validation: JSON.parse(str(r.validation)) as Json,
  decision: r.decision as Generation['decision'],
  decidedAt: numOrNull(r.decided_at),
  createdAt: r.created_at as number,
});

/** Runs a write, turning SQLite constraint errors into typed ones named after `what`. */
function write<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromSqlite(e, what);
  }
}

/** Turns plain user words into an FTS5 query that cannot be a syntax error: each token quoted, all must match. */
export function ftsQuery(text: string): string {
  const tokens = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (tokens.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'Search needs at least one word or number');
  return tokens
    .slice(0, 32)
    .map((t) => `"${t}"`)
    .join(' ');
}

export function contentOps(db: () => StoreDb) {
  return {
    'project.create': (p: P<'project.create'>): R<'project.create'> => {
      const now = Date.now();
      const row = { id: p.id ?? randomUUID(), name: p.name, rootPath: p.rootPath, createdAt: now, updatedAt: now };
      write('Creating the project', () =>
        db().run(
          'INSERT INTO projects (id, name, root_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          row.id,
          row.name,
          row.rootPath,
          now,
          now,
        ),
      );
      return row;
    },
    'project.list': (p: P<'project.list'>): R<'project.list'> =>
      db().all<Row>('SELECT * FROM projects ORDER BY updated_at DESC LIMIT ?', p.limit).map(toProject),
    'thread.create': (p: P<'thread.create'>): R<'thread.create'> => {
      const row = { id: p.id ?? randomUUID(), projectId: p.projectId, title: p.title, createdAt: Date.now() };
      write('Creating the thread', () =>
        db().run(
          'INSERT INTO threads (id, project_id, title, created_at) VALUES (?, ?, ?, ?)',
          row.id,
          row.projectId,
          row.title,
          row.createdAt,
        ),
      );
      return row;
    },
    'thread.list': (p: P<'thread.list'>): R<'thread.list'> =>
      (p.projectId === undefined
        ? db().all<Row>('SELECT * FROM threads ORDER BY created_at DESC LIMIT ?', p.limit)
        : db().all<Row>('SELECT * FROM threads WHERE project_id IS ? ORDER BY created_at DESC LIMIT ?', p.projectId, p.limit)
      ).map(toThread),
    'thread.get': (p: P<'thread.get'>): R<'thread.get'> => {
      const r = db().get<Row>('SELECT * FROM threads WHERE id = ?', p.id);
      return r ? toThread(r) : null;
    },
    'message.append': (p: P<'message.append'>): R<'message.append'> => {
      const row: Message = {
        id: p.id ?? randomUUID(),
        threadId: p.threadId,
        role: p.role,
        content: p.content,
        model: p.model,
        stats: p.stats,
        createdAt: Date.now(),
      };
      write('Adding the message', () =>
        db().run(
          'INSERT INTO messages (id, thread_id, role, content, model, stats, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          row.id,
          row.threadId,
          row.role,
          row.content,
          row.model,
          row.stats === null ? null : JSON.stringify(row.stats),
          row.createdAt,
        ),
      );
      return row;
    },
    'message.deleteFrom': (p: P<'message.deleteFrom'>): R<'message.deleteFrom'> => {
      const from = db().get<Row>('SELECT seq FROM messages WHERE id = ? AND thread_id = ?', p.messageId, p.threadId);
      if (!from) throw new EvolveError('NOT_FOUND', `No message ${p.messageId} in thread ${p.threadId}`);
      const res = write('Deleting messages', () => db().run('DELETE FROM messages WHERE thread_id = ? AND seq >= ?', p.threadId, from.seq));
      return { deleted: res.changes };
    },
    'thread.rename': (p: P<'thread.rename'>): R<'thread.rename'> => {
      write('Renaming the thread', () => db().run('UPDATE threads SET title = ? WHERE id = ?', p.title, p.id));
      const r = db().get<Row>('SELECT * FROM threads WHERE id = ?', p.id);
      if (!r) throw new EvolveError('NOT_FOUND', `No thread ${p.id}`);
      return toThread(r);
    },
    'thread.delete': (p: P<'thread.delete'>): R<'thread.delete'> => {
      const res = write('Deleting the thread', () =>
        db().tx(() => {
          db().run('DELETE FROM messages WHERE thread_id = ?', p.id);
          return db().run('DELETE FROM threads WHERE id = ?', p.id);
        }),
      );
      return { deleted: res.changes > 0 };
    },
    'message.list': (p: P<'message.list'>): R<'message.list'> =>
      db()
        .all<Row>(
          'SELECT * FROM messages WHERE thread_id = ? AND created_at < ? ORDER BY created_at DESC, seq DESC LIMIT ?',
          p.threadId,
          p.beforeCreatedAt ?? Number.MAX_SAFE_INTEGER,
          p.limit,
        )
        .reverse()
        .map(toMessage),
    'generation.record': (p: P<'generation.record'>): R<'generation.record'> => {
      const g: Generation = { ...p, id: p.id ?? randomUUID(), decision: 'pending', decidedAt: null, createdAt: Date.now() };
      write('Recording the generation', () =>
        db().run(
          'INSERT INTO generations (id, project_id, thread_id, prompt, context_refs, provider, model, output, validation, decision, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          g.id,
          g.projectId,
          g.threadId,
          g.prompt,
          JSON.stringify(g.contextRefs),
          g.provider,
          g.model,
          g.output,
          JSON.stringify(g.validation),
          g.decision,
          g.createdAt,
        ),
      );
      return g;
    },
    'generation.decide': (p: P<'generation.decide'>): R<'generation.decide'> => {
      const res =
        p.validation === undefined
          ? db().run('UPDATE generations SET decision = ?, decided_at = ? WHERE id = ?', p.decision, Date.now(), p.id)
          : db().run(
              'UPDATE generations SET decision = ?, decided_at = ?, validation = ? WHERE id = ?',
              p.decision,
              Date.now(),
              JSON.stringify(p.validation),
              p.id,
            );
      if (res.changes === 0) throw new EvolveError('NOT_FOUND', `No generation ${p.id}`);
      return toGeneration(db().get<Row>('SELECT * FROM generations WHERE id = ?', p.id) as Row);
    },
    'generation.get': (p: P<'generation.get'>): R<'generation.get'> => {
      const r = db().get<Row>('SELECT * FROM generations WHERE id = ?', p.id);
      if (!r) throw new EvolveError('NOT_FOUND', `No generation ${p.id}`);
      return toGeneration(r);
    },
    'generation.list': (p: P<'generation.list'>): R<'generation.list'> =>
      (p.projectId === undefined
        ? db().all<Row>('SELECT * FROM generations ORDER BY created_at DESC LIMIT ?', p.limit)
        : db().all<Row>('SELECT * FROM generations WHERE project_id IS ? ORDER BY created_at DESC LIMIT ?', p.projectId, p.limit)
      ).map(toGeneration),
    search: (p: P<'search'>): R<'search'> => {
      const q = ftsQuery(p.query);
      const hits: SearchHit[] = [];
      // bm25() is lower-is-better; both indexes use the same scale so merging by rank is fair enough for a UI list.
      if (p.kinds.includes('message')) {
        for (const r of db().all<Row>(
          `SELECT m.id, m.thread_id AS parent, snippet(messages_fts, 0, '[', ']', '…', 12) AS snip, bm25(messages_fts) AS rank
           FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?`,
          q,
          p.limit,
        )) {
          hits.push({ kind: 'message', id: str(r.id), parentId: strOrNull(r.parent), snippet: str(r.snip), rank: r.rank as number });
        }
      }
      if (p.kinds.includes('generation')) {
        for (const r of db().all<Row>(
          `SELECT g.id, g.project_id AS parent, snippet(generations_fts, -1, '[', ']', '…', 12) AS snip, bm25(generations_fts) AS rank
           FROM generations_fts JOIN generations g ON g.seq = generations_fts.rowid WHERE generations_fts MATCH ? ORDER BY rank LIMIT ?`,
          q,
          p.limit,
        )) {
          hits.push({ kind: 'generation', id: str(r.id), parentId: strOrNull(r.parent), snippet: str(r.snip), rank: r.rank as number });
        }
      }
      return hits.sort((a, b) => a.rank - b.rank).slice(0, p.limit);
    },
  };
}
