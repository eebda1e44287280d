// Worker handlers for indexed projects: add (one project per root), list with counts, update globs, state, remove.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import { IndexStateSchema, type IndexedProject, type IndexState } from '../../../common/store/index-requests';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

type Row = Record<string, unknown>;

export const NEVER_INDEXED: IndexState = {
  status: 'never',
  startedAt: null,
  finishedAt: null,
  files: 0,
  chunks: 0,
  errors: 0,
  message: null,
};

function parseState(v: unknown): IndexState {
  if (typeof v !== 'string') return NEVER_INDEXED;
  const r = IndexStateSchema.safeParse(JSON.parse(v));
  return r.success ? r.data : NEVER_INDEXED;
}

export function indexProjectOps(db: () => StoreDb) {
  const get = (id: string): IndexedProject => {
    const r = db().get<Row>(
      `SELECT p.*, (SELECT count(*) FROM index_files f WHERE f.project_id = p.id) AS nfiles,
              (SELECT count(*) FROM index_chunks c WHERE c.project_id = p.id) AS nchunks
       FROM projects p WHERE p.id = ? AND p.root_path IS NOT NULL`,
      id,
    );
    if (!r) throw new EvolveError('NOT_FOUND', `No project ${id}`);
    return toProject(r);
  };
  const toProject = (r: Row): IndexedProject => ({
    id: r.id as string,
    name: r.name as string,
    rootPath: r.root_path as string,
    include: JSON.parse(r.include_globs as string) as string[],
    exclude: JSON.parse(r.exclude_globs as string) as string[],
    state: parseState(r.index_state),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    files: r.nfiles as number,
    chunks: r.nchunks as number,
  });

  return {
    'index.project.add': (p: P<'index.project.add'>): R<'index.project.add'> => {
      const id = p.id ?? randomUUID();
      db().tx(() => {
        const dup = db().get<Row>('SELECT id, name FROM projects WHERE root_path = ?', p.rootPath);
        if (dup) throw new EvolveError('CONFLICT', `${p.rootPath} is already the project "${String(dup.name)}"`, { projectId: dup.id });
        const now = Date.now();
        try {
          db().run(
            'INSERT INTO projects (id, name, root_path, include_globs, exclude_globs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            id,
            p.name,
            p.rootPath,
            JSON.stringify(p.include),
            JSON.stringify(p.exclude),
            now,
            now,
          );
        } catch (e) {
          throw fromSqlite(e, 'Adding the project');
        }
      });
      return get(id);
    },
    'index.project.list': (): R<'index.project.list'> =>
      db()
        .all<Row>(
          `SELECT p.*, (SELECT count(*) FROM index_files f WHERE f.project_id = p.id) AS nfiles,
                  (SELECT count(*) FROM index_chunks c WHERE c.project_id = p.id) AS nchunks
           FROM projects p WHERE p.root_path IS NOT NULL ORDER BY p.name COLLATE NOCASE, p.created_at`,
        )
        .map(toProject),
    'index.project.get': (p: P<'index.project.get'>): R<'index.project.get'> => get(p.projectId),
    'index.project.update': (p: P<'index.project.update'>): R<'index.project.update'> => {
      get(p.projectId);
      db().run(
        `UPDATE projects SET name = coalesce(?, name), include_globs = coalesce(?, include_globs),
           exclude_globs = coalesce(?, exclude_globs), updated_at = ? WHERE id = ?`,
        p.name ?? null,
        p.include ? JSON.stringify(p.include) : null,
        p.exclude ? JSON.stringify(p.exclude) : null,
        Date.now(),
        p.projectId,
      );
      return get(p.projectId);
    },
    'index.project.setState': (p: P<'index.project.setState'>): R<'index.project.setState'> => {
      if (db().run('UPDATE projects SET index_state = ? WHERE id = ?', JSON.stringify(p.state), p.projectId).changes === 0) {
        throw new EvolveError('NOT_FOUND', `No project ${p.projectId}`);
      }
      return get(p.projectId);
    },
    'index.project.remove': (p: P<'index.project.remove'>): R<'index.project.remove'> =>
      db().tx(() => {
        const before = db().get<Row>(
          `SELECT (SELECT count(*) FROM index_files WHERE project_id = ?) AS f, (SELECT count(*) FROM index_chunks WHERE project_id = ?) AS c,
                  (SELECT count(*) FROM threads WHERE project_id = ?) AS t`,
          p.projectId,
          p.projectId,
          p.projectId,
        ) as Row;
        // Threads are detached by their ON DELETE SET NULL; the index goes with the project through the cascade.
        const removed = db().run('DELETE FROM projects WHERE id = ?', p.projectId).changes > 0;
        return removed
          ? { removed, files: before.f as number, chunks: before.c as number, threadsDetached: before.t as number }
          : { removed, files: 0, chunks: 0, threadsDetached: 0 };
      }),
  };
}
