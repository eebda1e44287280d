// Shared zod schemas and types of the codegen engine and the code workspace (languages, findings, file diffs).
import { z } from 'zod';

export const LanguageSchema = z.enum(['python', 'typescript', 'javascript', 'go', 'rust', 'java', 'cpp']);
export type Language = z.infer<typeof LanguageSchema>;

export const FindingSchema = z.object({
  tool: z.string(),
  ruleId: z.string(),
  severity: z.enum(['info', 'low', 'medium', 'high']),
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative().optional(),
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** SHA-256 of file bytes, lowercase hex. */
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One hunk of a unified diff. `lines` carry the unified-diff prefixes: ' ' context, '-' removed, '+' added, and
 * '\' for "\ No newline at end of file" (it applies to the line just before it). Lines never contain line endings.
 */
export const DiffHunkSchema = z.object({
  id: z.string().min(1),
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  lines: z.array(z.string().regex(/^[ +\-\\]/)),
});
export type DiffHunk = z.infer<typeof DiffHunkSchema>;

/** The diff of one file. `oldHash` is the SHA-256 of the bytes the diff was made against; absent for a new file. */
export const FileDiffSchema = z.object({
  path: z.string().min(1),
  oldHash: Sha256Schema.optional(),
  hunks: z.array(DiffHunkSchema),
});
export type FileDiff = z.infer<typeof FileDiffSchema>;

/** A file the engine produced, as text, at a path relative to the project (or to a virtual root without one). */
export const CodeFileSchema = z.object({
  path: z.string().min(1).max(512),
  content: z.string().max(2_000_000),
});
export type CodeFile = z.infer<typeof CodeFileSchema>;

/** What one static check or security scan found: `ok` is false when any finding is high severity. */
export const CheckResultSchema = z.object({
  ok: z.boolean(),
  findings: z.array(FindingSchema),
  /** The engines that ran, with their real versions (e.g. ruff 0.17.5, typescript 5.9.3). */
  tools: z.array(z.object({ name: z.string(), version: z.string() })),
  durationMs: z.number().nonnegative(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;
