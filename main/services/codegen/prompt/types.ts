// Types of codegen prompt assembly: the input, the deps it calls, the assembled messages and the budget split.
import { z } from 'zod';
import type { InjectionFlag } from '../../../../common/security/injection';
import { LanguageSchema, type Language } from '../../../../common/codegen/types';
import type { Retrieval } from '../../../../common/contracts/projects';
import { GenerationTypeSchema, type ExperienceHit, type GenerationType } from '../../../../common/store/codegen-requests';
import type { LearnedConvention } from '../../../../common/store/experience-requests';

/** The parts a prompt is built from, in the order they are cut when the budget is short (last part cut first). */
export const BUDGET_PART_NAMES = ['instructions', 'task', 'target', 'rules', 'conventions', 'experience', 'retrieved', 'repoMap'] as const;
export const BudgetPartNameSchema = z.enum(BUDGET_PART_NAMES);
export type BudgetPartName = z.infer<typeof BudgetPartNameSchema>;

export const BudgetPartSchema = z.object({
  name: BudgetPartNameSchema,
  /** Tokens this part takes in the final prompt (deps.countTokens on its rendered text). */
  tokens: z.number().int().nonnegative(),
  /** What went in: file paths, rule file names, chunk locations (`rel:start-end`), experience ids. */
  items: z.array(z.string()),
  /** Items that were available but left out (budget), or 1 for a single-text part that was shortened. */
  dropped: z.number().int().nonnegative(),
});
export type BudgetPart = z.infer<typeof BudgetPartSchema>;

export const BudgetSplitSchema = z.object({
  contextTokens: z.number().int().positive(),
  reservedForAnswer: z.number().int().nonnegative(),
  /** Tokens of all messages together; never above contextTokens − reservedForAnswer. */
  used: z.number().int().nonnegative(),
  parts: z.array(BudgetPartSchema),
  /** Set by repairPrompt: the previous answers + feedback folded into the request, and how many old ones were cut. */
  repair: z
    .object({ tokens: z.number().int().nonnegative(), turns: z.number().int().nonnegative(), dropped: z.number().int().nonnegative() })
    .optional(),
});
export type BudgetSplit = z.infer<typeof BudgetSplitSchema>;

export const PromptMessageSchema = z.object({ role: z.enum(['system', 'user']), content: z.string() });
export type PromptMessage = z.infer<typeof PromptMessageSchema>;

export const EditFormatSchema = z.enum(['search-replace', 'whole-file']);
export type EditFormat = z.infer<typeof EditFormatSchema>;

export interface AssembledPrompt {
  messages: PromptMessage[];
  budget: BudgetSplit;
  /** Set for edit requests: the answer format the prompt asked for (parse with parseEditBlocks / parseWholeFiles). */
  editFormat?: EditFormat;
  /** Context that could not be gathered (index not ready, store locked): the prompt went out without it. */
  warnings?: string[];
  /** Project data in the prompt that the injection detector flagged (targets, rule files, retrieved chunks). */
  injectionFlags?: InjectionFlag[];
  /** What repairPrompt needs to rebuild the request within the same budget (set by assemblePrompt). */
  layout?: PromptLayout;
}

export interface PromptLayout {
  system: string;
  /** The context sections of the user message, in message order, with their measured tokens. */
  sections: { name: BudgetPartName; text: string; tokens: number; items: number }[];
  /** The task section (always last before repair turns). */
  task: string;
  /** Measured tokens of the system message and of the task section (repairPrompt only estimates the new text). */
  systemTokens: number;
  taskTokens: number;
  /** Tokens the messages may use: contextTokens − reservedForAnswer. */
  available: number;
  /** Measured tokens per character of this prompt (the real tokenizer's ratio, for repairPrompt's estimate). */
  tokensPerChar: number;
  shape: 'code' | 'edit' | 'prose';
  language: Language;
  signature?: string;
  /** Previous answers and their feedback, oldest first; `attempt` numbers them as the model saw them (1 = first answer). */
  repairs: { attempt: number; answer: string; feedback: string }[];
  /**
   * How a repair round shows the earlier attempts (repairStyleFor): `revise` shows each answer with its problems;
   * `fresh` shows only the problems and asks for the code again from scratch. Absent: revise.
   */
  repairStyle?: RepairStyle;
}

export type RepairStyle = 'revise' | 'fresh';

const FileText = z.object({ path: z.string().min(1).max(4096), content: z.string().max(2_000_000) });

export const AssembleInputSchema = z.object({
  type: GenerationTypeSchema,
  language: LanguageSchema,
  prompt: z.string().max(100_000),
  project: z.object({ id: z.string().min(1).max(200), root: z.string().min(1).max(4096) }).optional(),
  target: FileText.extend({
    selection: z.object({ startLine: z.number().int().positive(), endLine: z.number().int().positive() }).optional(),
  }).optional(),
  /** Further files an edit may change (multi-file edits), shown after the target. */
  moreTargets: z.array(FileText).max(50).optional(),
  /** Where the code goes and what tests import (the eval's SOLUTION_FILE + exports). */
  entry: z.object({ file: z.string().min(1), exports: z.array(z.string()) }).optional(),
  /** Model size in billions of parameters: small models get whole-file edits (chooseEditFormat). */
  modelParamsB: z.number().positive().optional(),
  /** At most this many tokens for the optional context (rules … repo map), to keep prompt processing short. */
  maxContextTokens: z.number().int().nonnegative().optional(),
  contextTokens: z.number().int().positive(),
  reservedForAnswer: z.number().int().nonnegative(),
});
export interface AssembleInput {
  type: GenerationType;
  language: Language;
  prompt: string;
  project?: { id: string; root: string };
  target?: { path: string; content: string; selection?: { startLine: number; endLine: number } };
  moreTargets?: { path: string; content: string }[];
  entry?: { file: string; exports: string[] };
  modelParamsB?: number;
  maxContextTokens?: number;
  contextTokens: number;
  reservedForAnswer: number;
}

export type RetrievalResult = Retrieval;

export interface PromptDeps {
  /** The project index (main/services/projects/retrieval.ts retrieve, bound to its deps). */
  retrieve?: (projectId: string, query: string, tokenBudget: number) => Promise<RetrievalResult>;
  /**
   * Past decisions on similar requests and the project's learned conventions in effect (CodegenStore.similarDecisions);
   * the conventions of the request's language join the conventions part.
   */
  experience?: (
    projectId: string | null,
    text: string,
  ) => Promise<{ accepted: ExperienceHit[]; rejected: ExperienceHit[]; conventions?: LearnedConvention[] }>;
  /** The model's tokenizer (tests may pass a simple counter). */
  countTokens: (text: string) => Promise<number> | number;
  /** Reads a small file (conventions, rule files): null when absent or unreadable. Default: node fs, capped. */
  readFile?: (absPath: string, maxBytes: number) => Promise<string | null>;
  /** Overrides for the project scans (default: detectConventions / readRuleFiles on project.root). */
  conventions?: (root: string) => Promise<Conventions>;
  rules?: (root: string) => Promise<RuleFile[]>;
}

export const NamingSchema = z.enum(['snake_case', 'camelCase', 'mixed']);
export const ConventionsSchema = z.object({
  /** e.g. '>=3.10' (pyproject requires-python) or '3.12' (.python-version). */
  pythonVersion: z.string().nullable(),
  /** engines.node or .nvmrc / .node-version. */
  nodeVersion: z.string().nullable(),
  typescript: z.object({ version: z.string().nullable(), strict: z.boolean().nullable() }).nullable(),
  moduleType: z.enum(['esm', 'commonjs']).nullable(),
  /** FastAPI, Flask, Django, SQLAlchemy, Pydantic; Express, React, Next.js, Prisma, Vue, … */
  frameworks: z.array(z.string()),
  testRunners: z.object({
    python: z.enum(['pytest', 'unittest']).nullable(),
    javascript: z.enum(['vitest', 'jest', 'node:test', 'mocha']).nullable(),
  }),
  /** Linters and formatters with config present: ruff, black, flake8, isort, mypy, eslint, prettier, biome. */
  lint: z.array(z.string()),
  format: z.array(z.string()),
  /** Function naming measured on a sample of source files. */
  naming: z.object({ functions: NamingSchema.nullable(), sampled: z.number().int().nonnegative() }),
  indent: z.string().nullable(),
  /** The config files read (relative paths), for the UI and tests. */
  sources: z.array(z.string()),
});
export type Conventions = z.infer<typeof ConventionsSchema>;

/** Conventions with nothing detected (no config files): a request then gets the same instructions as one without a project. */
export const NO_CONVENTIONS: Conventions = {
  pythonVersion: null,
  nodeVersion: null,
  typescript: null,
  moduleType: null,
  frameworks: [],
  testRunners: { python: null, javascript: null },
  lint: [],
  format: [],
  naming: { functions: null, sampled: 0 },
  indent: null,
  sources: [],
};

export const RuleFileSchema = z.object({
  /** Path relative to the project root (AGENTS.md, .continue/rules/x.md). */
  path: z.string(),
  content: z.string(),
  bytes: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type RuleFile = z.infer<typeof RuleFileSchema>;
