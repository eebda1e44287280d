// Worker handlers of the codegen store: generations, rounds, decisions (each audited in the same transaction) and
// experience retrieval — past decisions on similar requests by BM25 over code-aware terms of request + reason.
import { randomUUID } from 'node:crypto';
import { auditedTx, type TxAudit } from './audited-tx';
import type { CodegenDecision, CodegenGeneration, CodegenRound, ExperienceHit } from '../../../common/store/codegen-requests';
import { EvolveError } from '../../../common/errors';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { Json } from '../../../common/store/rows';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';
import { codeQuery, codeTerms } from './index-terms';

type Row = Record<string, unknown>;
const sOrN = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const parse = <T>(v: unknown): T => JSON.parse(v as string) as T;

const toDecision = (r: Row): CodegenDecision => ({
  decision: r.decision as CodegenDecision['decision'],
  reason: r.reason as string,
  userEdits: sOrN(r.user_edits),
  at: r.at as number,
});
const toRound = (r: Row): CodegenRound => ({
  round: r.round as number,
  candidate: r.candidate as number,
  code: r.code as string,
  checks: parse<Json>(r.checks),
  testOutput: r.test_output as string,
  promptTokens: r.prompt_tokens as number,
  completionTokens: r.completion_tokens as number,
  ms: r.ms as number,
  at: r.at as number,
});

function write<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromSqlite(e, what);
  }
}

export function codegenOps(db: () => StoreDb, audit: TxAudit) {
  const row = (id: string): Row => {
    const r = db().get<Row>('SELECT * FROM codegen_generations WHERE id = ?', id);
    if (!r) throw new EvolveError('NOT_FOUND', `No generation ${id}`);
    return r;
  };
  const latestDecision = (seq: number): CodegenDecision | null => {
    const d = db().get<Row>('SELECT * FROM codegen_decisions WHERE generation_seq = ? ORDER BY seq DESC LIMIT 1', seq);
    return d ? toDecision(d) : null;
  };
  const toGeneration = (r: Row): CodegenGeneration => ({
    id: r.id as string,
    projectId: sOrN(r.project_id),
    request: r.request as string,
    type: r.type as CodegenGeneration['type'],
    lang: r.lang as CodegenGeneration['lang'],
    model: r.model as string,
    code: sOrN(r.code),
    diff: r.diff === null ? null : parse<CodegenGeneration['diff']>(r.diff),
    score: r.score === null ? null : (r.score as number),
    breakdown: r.breakdown === null ? null : parse<CodegenGeneration['breakdown']>(r.breakdown),
    findings: parse<CodegenGeneration['findings']>(r.findings),
    status: r.status as CodegenGeneration['status'],
    error: sOrN(r.error),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    decision: latestDecision(r.seq as number),
  });
  const ref = (g: { id: string; projectId: string | null }) => ({ generationId: g.id, ...(g.projectId ? { projectId: g.projectId } : {}) });
  const audited = auditedTx(db, audit);

  return {
    'codegen.create': (p: P<'codegen.create'>): R<'codegen.create'> =>
      audited('Recording the generation', () => {
        const now = Date.now();
        const id = p.id ?? randomUUID();
        db().run(
          `INSERT INTO codegen_generations (id, project_id, request, type, lang, model, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
          id,
          p.projectId,
          p.request,
          p.type,
          p.lang,
          p.model,
          now,
          now,
        );
        const g = toGeneration(row(id));
        audit.append({ kind: 'generation.created', data: { ...ref(g), type: g.type, lang: g.lang, model: g.model } });
        return g;
      }),
    'codegen.addRound': (p: P<'codegen.addRound'>): R<'codegen.addRound'> =>
      write('Recording the round', () =>
        db().tx(() => {
          const g = row(p.generationId);
          if (g.status !== 'running') throw new EvolveError('CONFLICT', `Generation ${p.generationId} has ended (${String(g.status)})`);
          const at = Date.now();
          db().run(
            `INSERT INTO codegen_rounds (generation_seq, round, candidate, code, checks, test_output, prompt_tokens, completion_tokens, ms, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            g.seq,
            p.round,
            p.candidate,
            p.code,
            JSON.stringify(p.checks),
            p.testOutput,
            p.promptTokens,
            p.completionTokens,
            p.ms,
            at,
          );
          db().run('UPDATE codegen_generations SET updated_at = ? WHERE seq = ?', at, g.seq);
          const { generationId: _g, ...round } = p;
          return { ...round, at };
        }),
      ),
    'codegen.finish': (p: P<'codegen.finish'>): R<'codegen.finish'> =>
      write('Finishing the generation', () =>
        db().tx(() => {
          const g = row(p.generationId);
          if (g.status !== 'running')
            throw new EvolveError('CONFLICT', `Generation ${p.generationId} has already ended (${String(g.status)})`);
          db().run(
            `UPDATE codegen_generations SET status = ?, code = ?, diff = ?, score = ?, breakdown = ?, findings = ?, error = ?, updated_at = ?
             WHERE seq = ?`,
            p.status,
            p.code,
            p.diff === null ? null : JSON.stringify(p.diff),
            p.score,
            p.breakdown === null ? null : JSON.stringify(p.breakdown),
            JSON.stringify(p.findings),
            p.error,
            Date.now(),
            g.seq,
          );
          return toGeneration(row(p.generationId));
        }),
      ),
    'codegen.get': (p: P<'codegen.get'>): R<'codegen.get'> => {
      const r = row(p.generationId);
      return {
        ...toGeneration(r),
        rounds: db().all<Row>('SELECT * FROM codegen_rounds WHERE generation_seq = ? ORDER BY round, candidate', r.seq).map(toRound),
        decisions: db().all<Row>('SELECT * FROM codegen_decisions WHERE generation_seq = ? ORDER BY seq', r.seq).map(toDecision),
      };
    },
    'codegen.list': (p: P<'codegen.list'>): R<'codegen.list'> =>
      (p.projectId === undefined
        ? db().all<Row>('SELECT * FROM codegen_generations ORDER BY created_at DESC, seq DESC LIMIT ?', p.limit)
        : db().all<Row>(
            'SELECT * FROM codegen_generations WHERE project_id IS ? ORDER BY created_at DESC, seq DESC LIMIT ?',
            p.projectId,
            p.limit,
          )
      ).map(toGeneration),
    'codegen.decide': (p: P<'codegen.decide'>): R<'codegen.decide'> => {
      const reason = p.reason.trim();
      if (p.decision === 'rejected' && reason === '')
        throw new EvolveError('INVALID_ARGUMENT', 'A rejection needs a reason (it teaches the next generation)');
      return audited('Recording the decision', () => {
        const r = row(p.generationId);
        if (r.status === 'running') throw new EvolveError('CONFLICT', `Generation ${p.generationId} is still running`);
        // A failed or cancelled generation has nothing to keep; it can still be rejected with a reason (experience).
        if (p.decision === 'accepted' && r.status !== 'done') {
          throw new EvolveError('CONFLICT', `Generation ${p.generationId} ${String(r.status)}; only a finished one can be accepted`);
        }
        const at = Date.now();
        const res = db().run(
          'INSERT INTO codegen_decisions (generation_seq, decision, reason, user_edits, at) VALUES (?, ?, ?, ?, ?)',
          r.seq,
          p.decision,
          reason,
          p.userEdits,
          at,
        );
        db().run(
          'INSERT INTO codegen_experience_fts (rowid, request, reason) VALUES (?, ?, ?)',
          res.lastInsertRowid,
          codeTerms(r.request as string),
          codeTerms(reason),
        );
        const g = toGeneration(r);
        audit.append(
          p.decision === 'accepted'
            ? { kind: 'generation.accepted', data: { ...ref(g), ...(g.score === null ? {} : { score: g.score }) } }
            : { kind: 'generation.rejected', data: { ...ref(g), reason } },
        );
        return g;
      });
    },
    'codegen.userEdits': (p: P<'codegen.userEdits'>): R<'codegen.userEdits'> =>
      write('Recording the edits', () =>
        db().tx(() => {
          const r = row(p.generationId);
          const d = db().get<Row>('SELECT seq, decision FROM codegen_decisions WHERE generation_seq = ? ORDER BY seq DESC LIMIT 1', r.seq);
          if (!d || d.decision !== 'accepted') throw new EvolveError('NOT_FOUND', `Generation ${p.generationId} has not been accepted`);
          db().run('UPDATE codegen_decisions SET user_edits = ? WHERE seq = ?', p.userEdits, d.seq);
          return toGeneration(r);
        }),
      ),
    'codegen.similar': (p: P<'codegen.similar'>): R<'codegen.similar'> => {
      // OR of the request's code-aware terms: a similar request shares some words, rarely all; BM25's IDF ranks.
      // Only each generation's latest decision counts (a rejection later overridden by an accept is not a rejection).
      const rows = db().all<Row>(
        `SELECT g.id, g.request, g.type, g.lang, g.code, g.score, d.decision, d.reason, d.user_edits, d.at, -bm25(codegen_experience_fts) AS rank
         FROM codegen_experience_fts
         JOIN codegen_decisions d ON d.seq = codegen_experience_fts.rowid
         JOIN codegen_generations g ON g.seq = d.generation_seq
         WHERE codegen_experience_fts MATCH ? AND g.project_id IS ?
           AND d.seq = (SELECT max(seq) FROM codegen_decisions WHERE generation_seq = g.seq)
         ORDER BY bm25(codegen_experience_fts) LIMIT ?`,
        codeQuery(p.text),
        p.projectId,
        p.k,
      );
      return rows.map((r): ExperienceHit => ({
        generationId: r.id as string,
        request: r.request as string,
        type: r.type as ExperienceHit['type'],
        lang: r.lang as ExperienceHit['lang'],
        decision: r.decision as ExperienceHit['decision'],
        reason: r.reason as string,
        code: r.decision === 'accepted' ? sOrN(r.code) : null,
        userEdits: sOrN(r.user_edits),
        score: r.score === null ? null : (r.score as number),
        at: r.at as number,
        rank: r.rank as number,
      }));
    },
  };
}
