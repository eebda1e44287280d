// Main-side API of the codegen store: generations, rounds, decisions, experience retrieval and the apply gate,
// all through the DB worker (the one writer; generation.* audit rows commit with their writes).
import type { StoreMethod, StoreParams, StoreResult } from '../../../common/store/requests';
import type { CodegenGeneration, CodegenGenerationDetail, ExperienceHit } from '../../../common/store/codegen-requests';
import type { ExperienceDecision, LearnedConvention } from '../../../common/store/experience-requests';
import { isEvolveError, toErrorInfo } from '../../../common/errors';
import { learnConventions } from './experience/learn-conventions';
import { assertApplicable, type GateResult } from './gate';

/** The part of StoreClient this needs (a fake-free seam: tests pass the real client). */
export interface StoreCaller {
  call<M extends Exclude<StoreMethod, 'open'>>(method: M, params: StoreParams<M>): Promise<StoreResult<M>>;
}

export interface CodegenStoreOptions {
  /** Where a failure to learn conventions goes (the decision itself has been stored by then). */
  log?: (level: 'warn', message: string) => void;
}

export class CodegenStore {
  constructor(
    private readonly store: StoreCaller,
    private readonly opts: CodegenStoreOptions = {},
  ) {}

  create(p: StoreParams<'codegen.create'>): Promise<CodegenGeneration> {
    return this.store.call('codegen.create', p);
  }
  addRound(p: StoreParams<'codegen.addRound'>): Promise<StoreResult<'codegen.addRound'>> {
    return this.store.call('codegen.addRound', p);
  }
  finish(p: StoreParams<'codegen.finish'>): Promise<CodegenGeneration> {
    return this.store.call('codegen.finish', p);
  }
  get(generationId: string): Promise<CodegenGenerationDetail> {
    return this.store.call('codegen.get', { generationId });
  }
  list(projectId?: string | null, limit?: number): Promise<CodegenGeneration[]> {
    return this.store.call('codegen.list', { ...(projectId === undefined ? {} : { projectId }), ...(limit ? { limit } : {}) });
  }
  /** Accepts, then learns conventions from the code the user kept (learning never fails the accept). */
  async accept(generationId: string, reason = '', userEdits: string | null = null): Promise<CodegenGeneration> {
    const g = await this.store.call('codegen.decide', { generationId, decision: 'accepted', reason, userEdits });
    await this.learnFrom(generationId);
    return g;
  }
  /** Rejects (a reason is required); what the generation taught, if it was accepted before, is withdrawn. */
  async reject(generationId: string, reason: string): Promise<CodegenGeneration> {
    const g = await this.store.call('codegen.decide', { generationId, decision: 'rejected', reason });
    await this.learnFrom(generationId);
    return g;
  }
  /** The user's edits after accepting, as a unified diff (what experience learning reads). */
  async recordUserEdits(generationId: string, userEdits: string): Promise<CodegenGeneration> {
    const g = await this.store.call('codegen.userEdits', { generationId, userEdits });
    await this.learnFrom(generationId);
    return g;
  }

  /**
   * Runs the convention rules on an accepted generation (its code or diff, and the user's edits) and stores what they
   * found with the generation as its source (a rejected one withdraws what it taught). Returns the learned ids; a failure is logged and returns [] because the
   * decision or the edits it follows are already stored and must stand.
   */
  async learnFrom(generationId: string): Promise<string[]> {
    try {
      const g = await this.get(generationId);
      if (g.projectId === null || !g.decision) return [];
      const observations =
        g.decision.decision === 'accepted'
          ? learnConventions({ lang: g.lang, code: g.code, diff: g.diff, userEdits: g.decision.userEdits })
          : [];
      // Called even with none: the worker withdraws what this generation no longer shows (or all of it, once rejected).
      return (await this.store.call('experience.learn', { generationId, observations })).learned;
    } catch (e) {
      this.opts.log?.('warn', `learning conventions from generation ${generationId} failed: ${toErrorInfo(e).message}`);
      return [];
    }
  }

  /** The project's learned conventions with their source generations (removed ones on request). */
  conventions(projectId: string, includeRemoved = false): Promise<LearnedConvention[]> {
    return this.store.call('experience.conventions', { projectId, includeRemoved });
  }
  /** The user rewrites a convention (blank text is INVALID_ARGUMENT, an unknown id NOT_FOUND). */
  editConvention(id: string, text: string): Promise<LearnedConvention> {
    return this.store.call('experience.editConvention', { id, text });
  }
  /** The user removes a convention: out of prompts, and never re-learned from the same generations. */
  removeConvention(id: string): Promise<{ id: string; removed: true }> {
    return this.store.call('experience.removeConvention', { id });
  }
  /** A project's decisions (latest per generation), newest first. */
  decisions(projectId: string | null, limit?: number): Promise<ExperienceDecision[]> {
    return this.store.call('experience.decisions', { projectId, ...(limit ? { limit } : {}) });
  }

  /**
   * Past accepted examples and rejection reasons for requests like `text` in this project (null: no project), and the
   * project's learned conventions in effect (the prompt keeps those of the request's language).
   */
  async similarDecisions(
    projectId: string | null,
    text: string,
    k = 5,
  ): Promise<{ accepted: ExperienceHit[]; rejected: ExperienceHit[]; conventions: LearnedConvention[] }> {
    const [hits, conventions] = await Promise.all([
      // A request with no searchable word ("do it") matches no past decision; the conventions still apply.
      this.store.call('codegen.similar', { projectId, text, k }).catch((e: unknown) => {
        if (isEvolveError(e) && e.code === 'INVALID_ARGUMENT') return [];
        throw e;
      }),
      projectId === null ? Promise.resolve([]) : this.conventions(projectId),
    ]);
    return {
      accepted: hits.filter((h) => h.decision === 'accepted'),
      rejected: hits.filter((h) => h.decision === 'rejected'),
      conventions: conventions.filter((c) => c.inEffect),
    };
  }

  /** The gate on the stored generation (its stored findings, not a caller's copy); every apply path calls this. */
  async assertApplicable(generationId: string, opts: { override?: { reason: string } } = {}): Promise<GateResult> {
    const g = await this.get(generationId);
    return assertApplicable(g, { ...opts, audit: { record: (ev) => this.store.call('audit.append', ev) } });
  }
}
