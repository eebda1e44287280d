// Loads and validates the problem set: every problems/*.json must parse against the schema and be named after its id
// (so ids are unique); anything else is a typed error naming the file, never a silently skipped problem.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EvolveError } from '../../common/errors';
import { CodegenProblemSchema, type CodegenProblem } from './schema';

export const PROBLEMS_DIR = path.join(import.meta.dirname, 'problems');

/** Parses one problem file; INVALID_ARGUMENT with the file name and the zod issues when it is not a valid problem. */
export function parseProblemFile(file: string): CodegenProblem {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new EvolveError('INVALID_ARGUMENT', `${path.basename(file)}: not readable JSON (${(err as Error).message})`);
  }
  const parsed = CodegenProblemSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new EvolveError('INVALID_ARGUMENT', `${path.basename(file)}: not a valid problem — ${issues.join('; ')}`, { issues });
  }
  if (path.basename(file) !== `${parsed.data.id}.json`) {
    throw new EvolveError('INVALID_ARGUMENT', `${path.basename(file)}: file name must be ${parsed.data.id}.json`);
  }
  return parsed.data;
}

/** Every problem in `dir`, sorted by id (ids are unique: each file must be named `<id>.json`). NOT_FOUND for a missing or empty folder. */
export function loadProblems(dir: string = PROBLEMS_DIR): CodegenProblem[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    throw new EvolveError('NOT_FOUND', `no problem folder at ${dir}`);
  }
  if (names.length === 0) throw new EvolveError('NOT_FOUND', `no problems (*.json) in ${dir}`);
  return names.sort().map((name) => parseProblemFile(path.join(dir, name)));
}
