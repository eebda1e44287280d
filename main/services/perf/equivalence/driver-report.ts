// The one JSON line a driver prints (after a per-run nonce, so the code under test cannot forge it), validated.
import { z } from 'zod';

export const DriverReportSchema = z.object({
  status: z.enum(['equivalent', 'different', 'error', 'unavailable']),
  examples: z.number().int().nonnegative().default(0),
  counterexample: z.object({ input: z.string(), before: z.string(), after: z.string() }).nullish(),
  message: z.string().optional(),
  /** Language-specific raw coverage (coverage.py lists or V8 ranges), parsed by the caller; null when not measured. */
  coverage: z.unknown().optional(),
});
export type DriverReport = z.infer<typeof DriverReportSchema>;

/**
 * The LAST nonce-prefixed line of stdout (a driver prints exactly one, at the end), or undefined when there is none or
 * it does not parse — the run died first (killed, crashed) and the caller says why from the sandbox result.
 */
export function parseDriverReport(stdout: string, nonce: string): DriverReport | undefined {
  const at = stdout.lastIndexOf(nonce);
  if (at < 0) return undefined;
  const line = stdout.slice(at + nonce.length).split('\n', 1)[0] ?? '';
  try {
    const parsed = DriverReportSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
