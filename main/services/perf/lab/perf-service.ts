// The performance lab as the app and the CLI run it: a project's FILE:FUNCTION (trusted projects only: their code and
// tests run, in the sandbox), the loop on the real parts, proposals stored with the project, every decision audited.
import type { GenerateEvent, GenerateInput, GenerateResult } from '../../../../common/codegen/engine';
import { EvolveError } from '../../../../common/errors';
import type { OptimizeEvent, OptimizeReport } from '../../../../common/perf/optimize';
import type { SqlQueriesResult } from '../../../../common/contracts/perf';
import type { IndexVerification, InputGenerator, ProfileResult } from '../../../../common/perf/types';
import type { AuditEvent } from '../../../../common/store/audit';
import type { BenchProgress } from '../bench';
import { calledName, callSites, type Reference } from './call-sites';
import { targetFromProject } from './from-project';
import { labPorts, loadProfiler } from './lab-ports';
import { optimize } from './optimize';
import { projectSqlQueries, verifyProjectIndex } from './sql-lab';

export interface PerfServiceOptions {
  projects: { get(projectId: string): Promise<{ id: string; rootPath: string }> };
  assertTrusted(projectId: string): Promise<void>;
  generate(input: GenerateInput, emit: (e: GenerateEvent) => void, signal?: AbortSignal): Promise<GenerateResult>;
  audit(ev: AuditEvent): Promise<unknown>;
  /** Where the project index saw a name called (ProjectService.referencesTo); absent or failing: no call sites. */
  references?(projectId: string, name: string): Promise<Reference[]>;
  /** The lab's runs are interactive work: background indexing waits while they run. */
  interactive?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
}

export interface OptimizeTargetRequest {
  projectId: string;
  /** FILE:FUNCTION inside the project. */
  target: string;
  inputs?: InputGenerator;
  sizes?: number[];
  proposals?: number;
  modelId?: string;
}

export interface OptimizeProgress {
  event?: OptimizeEvent;
  generate?: GenerateEvent;
  bench?: BenchProgress;
}

export interface ProfileTargetRequest {
  projectId: string;
  /** FILE:FUNCTION inside the project. */
  target: string;
  /** Profiled at its largest size. */
  inputs: InputGenerator;
}

export class PerfService {
  constructor(private readonly o: PerfServiceOptions) {}

  /** The profile alone (no model): the target called once on the largest input, in the sandbox. */
  async profile(req: ProfileTargetRequest, signal?: AbortSignal): Promise<ProfileResult> {
    const project = await this.o.projects.get(req.projectId);
    await this.o.assertTrusted(project.id);
    const { before } = await targetFromProject(project.rootPath, req.target);
    const n = Math.max(...req.inputs.sizes);
    const { profileCode } = await loadProfiler();
    const run = () =>
      profileCode(
        { target: { kind: 'function', code: before, input: req.inputs, n }, projectRoot: project.rootPath },
        signal ? { signal } : {},
      );
    return this.o.interactive ? this.o.interactive('profile', run) : run();
  }

  async optimize(
    req: OptimizeTargetRequest,
    progress: (p: OptimizeProgress) => void = () => {},
    signal?: AbortSignal,
  ): Promise<OptimizeReport> {
    const project = await this.o.projects.get(req.projectId);
    await this.o.assertTrusted(project.id);
    const { before, tests } = await targetFromProject(project.rootPath, req.target);
    const ports = labPorts({
      generate: (input, s) => this.o.generate(input, (e) => progress({ generate: e }), s),
      projectRoot: project.rootPath,
      audit: async (data) => {
        await this.o.audit({ kind: 'perf.suggestion', data });
      },
      onBenchProgress: (b) => progress({ bench: b }),
    });
    // Call sites help the model keep the function's contract; an index that is missing or busy costs only them.
    const refs = this.o.references ? await this.o.references(project.id, calledName(before.function)).catch(() => []) : [];
    const callers = await callSites(project.rootPath, refs);
    const run = () =>
      optimize(
        {
          before,
          projectId: project.id,
          tests,
          ...(callers.length > 0 ? { callers } : {}),
          ...(req.inputs ? { inputs: req.inputs } : {}),
          ...(req.sizes ? { sizes: req.sizes } : {}),
          ...(req.proposals ? { proposals: req.proposals } : {}),
          ...(req.modelId ? { modelId: req.modelId } : {}),
        },
        ports,
        (e) => progress({ event: e }),
        signal,
      );
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Optimisation cancelled');
    return this.o.interactive ? this.o.interactive('optimize', run) : run();
  }

  /**
   * The project's SQL queries with their plans and index proposals. Trusted only: the sources are read statically,
   * but the plans run in the sandbox on a database built from the project's DDL.
   */
  async sqlQueries(req: { projectId: string }, signal?: AbortSignal): Promise<SqlQueriesResult> {
    const project = await this.o.projects.get(req.projectId);
    await this.o.assertTrusted(project.id);
    const run = () => projectSqlQueries(project.rootPath, signal);
    return this.o.interactive ? this.o.interactive('sql-queries', run) : run();
  }

  /**
   * A proposed index benchmarked against its query on synthetic rows. Not audited: the audit's perf.suggestion
   * records a function's proposal (module, function, generation), which an index verification has none of.
   */
  async verifyIndex(
    req: { projectId: string; sql: string; ddl: string; sizes?: number[] },
    signal?: AbortSignal,
  ): Promise<IndexVerification> {
    const project = await this.o.projects.get(req.projectId);
    await this.o.assertTrusted(project.id);
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Index verification cancelled');
    const run = () => verifyProjectIndex(project.rootPath, req, signal);
    return this.o.interactive ? this.o.interactive('verify-index', run) : run();
  }
}
