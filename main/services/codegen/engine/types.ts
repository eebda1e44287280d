// Types of the codegen engine's entry (runGeneration): the wire shapes from common/codegen/engine.ts, the model port
// it generates through, and the stages it chains (real modules by default; tests may replace a stage).
import type { InjectionFlag } from '../../../../common/security/injection';
import type { AuditEvent } from '../../../../common/store/audit';
import type { CheckResult, CodeFile, Language } from '../../../../common/codegen/types';
import type { BudgetSplit, GenerateEvent, GenerateInput, GenerateResult, TestRun, TestOrigin } from '../../../../common/codegen/engine';
import type { BudgetSplit as PromptBudgetSplit } from '../prompt';
import type { QualityScore } from '../score';
import type { TestRun as RunnerTestRun } from '../tests';
import type { Retrieval } from '../../../../common/contracts/projects';
import type { ExperienceHit } from '../../../../common/store/codegen-requests';
import type { CodegenStore } from '../codegen-store';
import type { ComplexityMeasure } from '../complexity';

export type {
  BudgetSplit,
  CandidateResult,
  CandidateRound,
  GenerateEvent,
  GenerateInput,
  GenerateInputParsed,
  GenerateResult,
  NamedCheck,
  TestRun,
  TestOrigin,
} from '../../../../common/codegen/engine';

export type ChatRole = 'system' | 'user' | 'assistant';
export interface EngineMessage {
  role: ChatRole;
  content: string;
}

export interface CompleteOptions {
  maxTokens: number;
  /** 0 = greedy (candidate 0); the other candidates sample. */
  temperature: number;
  seed?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  /**
   * Which of the generation's parallel streams this call belongs to (0 ≤ lane < EngineModel.parallel): a local model
   * keeps one KV sequence per lane, so calls on different lanes run at once and a lane's next round reuses its prefix.
   */
  lane?: number;
  /** What the call is for, for the per-stage usage figures. */
  stage?: UsageStage;
  /** Stop once the first fenced code block is closed (one-block answers: the rest would be prose). */
  stopAfterCodeBlock?: boolean;
  /**
   * Asked at each line break with the text streamed so far: an index to end the answer there (the stream stops and
   * the text is kept up to it), or undefined to go on. A local model stops generating; a routed one is not streamed
   * to it, and its answer is kept whole.
   */
  stopWhen?: (text: string) => number | undefined;
}
export type UsageStage = 'tests' | 'generate' | 'repair';
export interface Completion {
  text: string;
  /** Completion tokens the model produced. */
  tokens: number;
  promptTokens?: number;
  /** Prompt tokens the model had to evaluate (the rest came from the lane's KV cache). */
  evaluatedPromptTokens?: number;
}

/** A model the engine generates with: a local model through the inference worker, or a cloud one via the router. */
export interface EngineModel {
  id: string;
  /** The context the model was loaded with (prompt + answer must fit). */
  contextTokens: number;
  /** Billions of parameters when known: small models get whole-file edits. */
  paramsB?: number;
  /** Completions that may run at once on distinct lanes (1 or absent: one after another). */
  parallel?: number;
  /**
   * Tokens of optional context (rules, conventions, experience, retrieved code, repo map) worth their prompt-processing
   * time on this model; absent: as much as the context holds. The target file is never cut by it.
   */
  contextBudgetTokens?: number;
  complete(messages: EngineMessage[], opts: CompleteOptions): Promise<Completion>;
  countTokens(text: string): Promise<number> | number;
}

/** A test suite written next to the candidate (G1's TestSuite). */
export interface TestSuite {
  origin: TestOrigin;
  files: CodeFile[];
}

/** The suites a candidate runs: the visible ones known up front, and the model-written one, written on first ask. */
export interface SuitePlan {
  /** The user's tests, the docstring's examples and the caller's suites. */
  known: TestSuite[];
  /** The model-written suite (null when there is none); the first caller's lane writes it, later callers wait. */
  model(lane: number | undefined, signal: AbortSignal | undefined): Promise<TestSuite | null>;
}
export interface TestEntry {
  file: string;
  exports: string[];
}

/** The assembled prompt (G2's AssembledPrompt, structurally). */
export interface PromptLike {
  messages: { role: 'system' | 'user'; content: string }[];
  budget: BudgetSplit;
  editFormat?: 'search-replace' | 'whole-file';
  /** Project data in the prompt that the injection detector flagged. */
  injectionFlags?: InjectionFlag[];
}
export interface AssembleLike {
  type: GenerateInput['type'];
  language: Language;
  prompt: string;
  project?: { id: string; root: string };
  target?: { path: string; content: string; selection?: { startLine: number; endLine: number } };
  moreTargets?: { path: string; content: string }[];
  entry?: TestEntry;
  modelParamsB?: number;
  contextTokens: number;
  reservedForAnswer: number;
  /** Bound on optional context (EngineModel.contextBudgetTokens). */
  maxContextTokens?: number;
}
export interface PromptStageDeps {
  retrieve?: (projectId: string, query: string, tokenBudget: number) => Promise<Retrieval>;
  experience?: (projectId: string | null, text: string) => Promise<{ accepted: ExperienceHit[]; rejected: ExperienceHit[] }>;
  countTokens: (text: string) => Promise<number> | number;
}

export interface RunTestsLike {
  language: Language;
  files: CodeFile[];
  suites: TestSuite[];
  projectRoot?: string;
  signal?: AbortSignal;
}

/** The stages runGeneration chains; each is the real module's function unless a test replaces it. */
export interface Stages {
  assemblePrompt(input: AssembleLike, deps: PromptStageDeps): Promise<PromptLike>;
  /** `files`: edits — the targets with the blocks of earlier rounds applied, so the next SEARCH matches them. */
  repairPrompt(prev: PromptLike, answer: string, feedback: string, files?: CodeFile[]): PromptLike;
  testWritingPrompt(input: AssembleLike): PromptLike;
  runTests(input: RunTestsLike): Promise<TestRun>;
  docstringTests(language: Language, prompt: string, entry: TestEntry): TestSuite | null;
  parseModelTests(language: Language, answer: string, entry: TestEntry): TestSuite | null;
  /** Where a streamed test answer can end (enough cases written), or undefined. */
  modelTestsEnd(language: Language, text: string, entry: TestEntry): number | undefined;
  checkPython(files: CodeFile[], opts: { signal?: AbortSignal }): Promise<CheckResult>;
  checkTypeScript(files: CodeFile[], opts: { signal?: AbortSignal; tsconfig?: string }): Promise<CheckResult>;
  scanSecurity(files: CodeFile[], lang: Language, opts: { signal?: AbortSignal }): Promise<CheckResult>;
  /** Go/Rust/Java/C++: a compile check in the sandbox, or null when the toolchain is not on PATH. */
  compileCheck(files: CodeFile[], lang: Language, signal?: AbortSignal): Promise<CheckResult | null>;
  measureComplexity(code: string, language: Language): Promise<ComplexityMeasure | undefined>;
}

export interface EngineDeps {
  /** Resolves the model (loading a local one if needed); undefined = the default coding model. */
  model(modelId: string | undefined, signal?: AbortSignal): Promise<EngineModel>;
  /** Where generations and every round are stored; without it (the eval) generationId is null. */
  store?: Pick<CodegenStore, 'create' | 'addRound' | 'finish'>;
  /** A project's root folder (its venv / node_modules, tsconfig, target files). */
  project?(projectId: string): Promise<{ id: string; root: string }>;
  retrieve?: PromptStageDeps['retrieve'];
  experience?: PromptStageDeps['experience'];
  /** Replacements for stages (unit tests of the orchestration only). */
  stages?: Partial<Stages>;
  now?: () => number;
  /** Records audit events (the store's audit.append): flagged project data that went into the prompt. */
  audit?: (ev: AuditEvent) => Promise<unknown>;
}

export type Emit = (e: GenerateEvent) => void;

// The wire shapes in common/ mirror main's tests/, prompt/ and score.ts types: these fail to compile when they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const WIRE_SHAPES_MATCH: [
  Same<RunnerTestRun, TestRun>,
  Same<PromptBudgetSplit, BudgetSplit>,
  Same<QualityScore, GenerateResult['score']>,
] = [true, true, true];
