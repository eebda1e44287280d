// Worker handlers of experience learning: conventions learned from accepted generations (with their sources),
// the user's edits and removals of them, and a project's decisions for the Experience panel.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import type { ConventionEvidence, ExperienceDecision, LearnedConvention } from '../../../common/store/experience-requests';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

type Row = Record<string, unknown>;
/** The list shows the start of long edit diffs; the generation (codegen.get) has all of them. */
const LIST_USER_EDITS_CHARS = 20_000;

function write<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromSqlite(e, what);
  }
}

/** Which convention of each (language, kind) goes into prompts (see LearnedConventionSchema.inEffect). */
function markInEffect(list: LearnedConvention[]): LearnedConvention[] {
  const strength = (c: LearnedConvention): [number, number, number] => [
    c.userEdited ? 1 : 0,
    c.sources.some((s) => s.evidence === 'edited') ? 1 : 0,
    c.updatedAt,
  ];
  const best = new Map<string, LearnedConvention>();
  for (const c of list) {
    if (c.removed) continue;
    const key = `${c.lang}\0${c.kind}`;
    const cur = best.get(key);
    const [a, b] = [strength(c), cur ? strength(cur) : null];
    if (!b || a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])))) best.set(key, c);
  }
  const winners = new Set([...best.values()].map((c) => c.id));
  return list.map((c) => ({ ...c, inEffect: winners.has(c.id) }));
}

export function experienceOps(db: () => StoreDb) {
  const sourcesOf = (seq: number): LearnedConvention['sources'] =>
    db()
      .all<Row>(
        `SELECT g.id, g.request, s.evidence, s.at FROM learned_convention_sources s
         JOIN codegen_generations g ON g.seq = s.generation_seq WHERE s.convention_seq = ? ORDER BY s.at DESC, g.seq DESC`,
        seq,
      )
      .map((r) => ({
        generationId: r.id as string,
        request: r.request as string,
        evidence: r.evidence as ConventionEvidence,
        at: r.at as number,
      }));
  const toConvention = (r: Row): LearnedConvention => ({
    id: r.id as string,
    projectId: r.project_id as string,
    lang: r.lang as LearnedConvention['lang'],
    kind: r.kind as LearnedConvention['kind'],
    value: r.value as string,
    text: r.text as string,
    userEdited: r.user_edited === 1,
    removed: r.removed_at !== null,
    inEffect: false,
    sources: sourcesOf(r.seq as number),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  });
  const projectConventions = (projectId: string, includeRemoved: boolean): LearnedConvention[] => {
    const all = markInEffect(
      db()
        .all<Row>('SELECT * FROM learned_conventions WHERE project_id = ? ORDER BY updated_at DESC, seq DESC', projectId)
        .map(toConvention),
    );
    return includeRemoved ? all : all.filter((c) => !c.removed);
  };
  /** An active (not removed) convention by id; NOT_FOUND otherwise. */
  const active = (id: string): Row => {
    const r = db().get<Row>('SELECT * FROM learned_conventions WHERE id = ? AND removed_at IS NULL', id);
    if (!r) throw new EvolveError('NOT_FOUND', `No learned convention ${id}`);
    return r;
  };

  return {
    'experience.learn': (p: P<'experience.learn'>): R<'experience.learn'> =>
      write('Learning conventions', () =>
        db().tx(() => {
          const g = db().get<Row>('SELECT seq, project_id, lang FROM codegen_generations WHERE id = ?', p.generationId);
          if (!g) throw new EvolveError('NOT_FOUND', `No generation ${p.generationId}`);
          const d = db().get<Row>('SELECT decision FROM codegen_decisions WHERE generation_seq = ? ORDER BY seq DESC LIMIT 1', g.seq);
          if (!d) throw new EvolveError('NOT_FOUND', `Generation ${p.generationId} has not been decided`);
          // A generation rejected after all teaches nothing: what it taught before is withdrawn below.
          const observations = d.decision === 'accepted' ? p.observations : [];
          if (g.project_id === null) return { learned: [], skipped: p.observations.length }; // conventions belong to a project
          const learned: string[] = [];
          let skipped = p.observations.length - observations.length;
          const now = Date.now();
          // The observations are all this generation shows now (its edits may contradict what its kept code showed):
          // its other sources go, and a convention left with no source and no user wording goes with them.
          const seen = new Set(observations.map((o) => `${o.kind}\0${o.value}`));
          for (const old of db().all<Row>(
            `SELECT c.seq, c.kind, c.value FROM learned_convention_sources s JOIN learned_conventions c ON c.seq = s.convention_seq
             WHERE s.generation_seq = ? AND c.removed_at IS NULL`,
            g.seq,
          )) {
            if (seen.has(`${String(old.kind)}\0${String(old.value)}`)) continue;
            db().run('DELETE FROM learned_convention_sources WHERE convention_seq = ? AND generation_seq = ?', old.seq, g.seq);
            db().run(
              `DELETE FROM learned_conventions WHERE seq = ? AND user_edited = 0
                 AND NOT EXISTS (SELECT 1 FROM learned_convention_sources WHERE convention_seq = ?)`,
              old.seq,
              old.seq,
            );
          }
          for (const o of observations) {
            const existing = db().get<Row>(
              'SELECT * FROM learned_conventions WHERE project_id = ? AND lang = ? AND kind = ? AND value = ?',
              g.project_id,
              g.lang,
              o.kind,
              o.value,
            );
            if (existing && existing.removed_at !== null) {
              const known = db().get<Row>(
                'SELECT 1 AS x FROM learned_convention_sources WHERE convention_seq = ? AND generation_seq = ?',
                existing.seq,
                g.seq,
              );
              // The user removed it: only their own new edits (another generation) show they want it after all.
              if (known || o.evidence !== 'edited') {
                skipped++;
                continue;
              }
              db().run('UPDATE learned_conventions SET removed_at = NULL WHERE seq = ?', existing.seq);
            }
            let seq = existing?.seq as number | undefined;
            if (seq === undefined) {
              const id = randomUUID();
              seq = Number(
                db().run(
                  `INSERT INTO learned_conventions (id, project_id, lang, kind, value, text, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
                  id,
                  g.project_id,
                  g.lang,
                  o.kind,
                  o.value,
                  o.text,
                  now,
                  now,
                ).lastInsertRowid,
              );
            }
            // The same generation seen again (accept, then edits) keeps its strongest evidence.
            db().run(
              `INSERT INTO learned_convention_sources (convention_seq, generation_seq, evidence, at) VALUES (?, ?, ?, ?)
               ON CONFLICT (convention_seq, generation_seq) DO UPDATE SET
                 evidence = CASE WHEN excluded.evidence = 'edited' THEN 'edited' ELSE evidence END, at = excluded.at`,
              seq,
              g.seq,
              o.evidence,
              now,
            );
            db().run('UPDATE learned_conventions SET updated_at = ? WHERE seq = ?', now, seq);
            learned.push(db().get<Row>('SELECT id FROM learned_conventions WHERE seq = ?', seq)!.id as string);
          }
          return { learned, skipped };
        }),
      ),
    'experience.conventions': (p: P<'experience.conventions'>): R<'experience.conventions'> =>
      projectConventions(p.projectId, p.includeRemoved),
    'experience.editConvention': (p: P<'experience.editConvention'>): R<'experience.editConvention'> =>
      write('Editing the convention', () =>
        db().tx(() => {
          const r = active(p.id);
          db().run('UPDATE learned_conventions SET text = ?, user_edited = 1, updated_at = ? WHERE seq = ?', p.text, Date.now(), r.seq);
          return projectConventions(r.project_id as string, false).find((c) => c.id === p.id)!;
        }),
      ),
    'experience.removeConvention': (p: P<'experience.removeConvention'>): R<'experience.removeConvention'> =>
      write('Removing the convention', () =>
        db().tx(() => {
          const r = active(p.id);
          db().run('UPDATE learned_conventions SET removed_at = ?, updated_at = ? WHERE seq = ?', Date.now(), Date.now(), r.seq);
          return { id: p.id, removed: true as const };
        }),
      ),
    'experience.decisions': (p: P<'experience.decisions'>): R<'experience.decisions'> =>
      db()
        .all<Row>(
          `SELECT g.id, g.request, g.type, g.lang, g.status, g.score, d.decision, d.reason, substr(d.user_edits, 1, ?) AS user_edits, d.at
           FROM codegen_decisions d JOIN codegen_generations g ON g.seq = d.generation_seq
           WHERE g.project_id IS ? AND d.seq = (SELECT max(seq) FROM codegen_decisions WHERE generation_seq = g.seq)
           ORDER BY d.at DESC, d.seq DESC LIMIT ?`,
          LIST_USER_EDITS_CHARS,
          p.projectId,
          p.limit,
        )
        .map((r): ExperienceDecision => ({
          generationId: r.id as string,
          request: r.request as string,
          type: r.type as ExperienceDecision['type'],
          lang: r.lang as ExperienceDecision['lang'],
          status: r.status as ExperienceDecision['status'],
          score: r.score === null ? null : (r.score as number),
          decision: r.decision as ExperienceDecision['decision'],
          reason: r.reason as string,
          userEdits: r.user_edits === null ? null : (r.user_edits as string),
          at: r.at as number,
        })),
  };
}
