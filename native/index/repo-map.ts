// Aider's repo map: files ranked by personalised PageRank over references → definitions, cut to a token budget.
import { EvolveError } from '../../common/errors';
import type { FileTags } from './types';

export interface RepoMapInput {
  tags: Map<string, FileTags>;
  focusFiles?: string[];
  focusIdents?: string[];
  tokenBudget: number;
  countTokens?: (s: string) => number;
}

export interface RepoMap {
  text: string;
  files: { rel: string; rank: number }[];
  tokens: number;
}

export function buildRepoMap(input: RepoMapInput): RepoMap {
  void input;
  throw new EvolveError('UNAVAILABLE', 'buildRepoMap: landing shortly');
}
