// zod parse for answers from outside: a mismatch is CORRUPT with the first issue, never an unchecked cast.
import type { z } from 'zod';
import { EvolveError } from '../../../common/errors';

export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new EvolveError('CORRUPT', `Unexpected answer for ${what}${where}: ${issue?.message ?? 'schema mismatch'}`, {
    issues: r.error.issues.slice(0, 5),
  });
}
