// The prompt-injection detector's findings as they cross boundaries (codegen result, chat turn, audit): zod schemas.
import { z } from 'zod';

export const INJECTION_FAMILIES = [
  'override',
  'role-tag',
  'exfiltration',
  'markdown-image',
  'secrecy',
  'tool-call',
  'addressed',
  'persona',
  'reveal-prompt',
  'dangerous-command',
  'imperative',
  'multilingual',
  'invisible',
  'tag-chars',
  'bidi',
  'homoglyph',
  'encoded',
  'html-entity',
] as const;
export const InjectionFamilySchema = z.enum(INJECTION_FAMILIES);
export type InjectionFamily = z.infer<typeof InjectionFamilySchema>;

/** One rule hit: where in the original text (UTF-16 offsets), which rule, why, and how much it counts (0..1). */
export const InjectionHitSchema = z.object({
  rule: z.string().min(1).max(100),
  family: InjectionFamilySchema,
  reason: z.string().min(1).max(300),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The matched text, normalised (invisible characters removed, encodings decoded), at most 160 characters. */
  excerpt: z.string().max(200),
  weight: z.number().min(0).max(1),
});
export type InjectionHit = z.infer<typeof InjectionHitSchema>;

/** What the user sees about one untrusted item that was flagged (a file, a log, a tool result) on its way into a prompt. */
export const InjectionFlagSchema = z.object({
  /** What kind of data it was and where it came from (a project-relative path, a job id, a URL). */
  kind: z.enum(['file', 'code', 'rule-file', 'web-page', 'job-log', 'tool-output', 'experience']),
  source: z.string().min(1).max(4096),
  score: z.number().nonnegative(),
  hits: z.array(InjectionHitSchema).max(20),
});
export type InjectionFlag = z.infer<typeof InjectionFlagSchema>;
