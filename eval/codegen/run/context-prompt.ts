// --context: how a problem's prompt gets the context project's retrieved code and repo map while its checking stays
// exactly as without a project.
//
// Why the prompt stage and not `input.projectId` + `deps.project`: a project id changes more than the prompt. The
// engine then reads the target from the project root and makes only that file editable (an edit's support files stop
// being targets), type-checks TypeScript with `<root>/tsconfig.json` instead of its strict defaults (NOT_FOUND in a
// temporary root, other options and a "Cannot find module" that turns from info into an error in any other), and looks
// for a venv / node_modules there. None of that is retrieval, and each would move the figure for reasons other than
// the retrieved context. So the engine input stays project-free and only its assemble stage is given the indexed
// project: retrieval and the repo map run there exactly as in the app (same call, same budget split).
//
// The project's conventions and rule files are left out on purpose: they rewrite the instructions (a project on
// vitest makes a `test` problem ask for vitest tests, which its hidden tests cannot run), so they would change what is
// asked, not what the model knows. The figure is "with retrieved context", nothing else.
import type { BudgetSplit } from '../../../common/codegen/engine';
import type { EngineDeps, Stages } from '../../../main/services/codegen/engine';
import { assemblePrompt, NO_CONVENTIONS } from '../../../main/services/codegen/prompt';

/**
 * The engine's assemble stage with the context project added to its input; `retrieve` comes from the engine's deps
 * (EngineDeps.retrieve, bound to ProjectService.retrieve), as in the app.
 */
export function contextAssemble(project: { id: string; root: string }): Stages['assemblePrompt'] {
  return (input, deps) =>
    assemblePrompt(
      { ...input, project },
      { ...deps, conventions: () => Promise.resolve(NO_CONVENTIONS), rules: () => Promise.resolve([]) },
    );
}

/** The engine deps a --context run adds to the model: the app's retrieve binding and the assemble stage above. */
export function contextEngineDeps(ctx: {
  project: { id: string; root: string };
  retrieve: NonNullable<EngineDeps['retrieve']>;
}): Pick<EngineDeps, 'retrieve' | 'stages'> {
  return { retrieve: ctx.retrieve, stages: { assemblePrompt: contextAssemble(ctx.project) } };
}

export interface RetrievedInPrompt {
  /** Tokens of the "Related code from the project" section. */
  tokens: number;
  /** Tokens of the repo-map section. */
  repoMapTokens: number;
  /** Chunks shown. */
  chunks: number;
}

/** What retrieval put into the prompt, from the budget split the engine returns. */
export function retrievedInPrompt(budget: BudgetSplit): RetrievedInPrompt {
  const part = (name: 'retrieved' | 'repoMap') => budget.parts.find((p) => p.name === name);
  return {
    tokens: part('retrieved')?.tokens ?? 0,
    repoMapTokens: part('repoMap')?.tokens ?? 0,
    chunks: part('retrieved')?.items.length ?? 0,
  };
}
