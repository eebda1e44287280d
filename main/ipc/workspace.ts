// Handlers for the `workspace` domain (the Code section): every verb needs the unlocked store.
import { workspaceContract } from '../../common/contracts/workspace';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const workspaceHandlers = (s: AppServices) => {
  const svc = () => {
    s.store.assertReady();
    return s.workspace;
  };
  return implement(workspaceContract, {
    trustState: ({ projectId }) => svc().trustState(projectId),
    setTrust: ({ projectId, trusted }) => svc().setTrust(projectId, trusted),
    tree: ({ projectId, dir }) => svc().tree(projectId, dir),
    readFile: ({ projectId, path }) => svc().readFile(projectId, path),
    writeFile: ({ projectId, path, content, baseHash }) => svc().writeFile(projectId, path, content, baseHash),
    applyGeneration: (input) => svc().applyGeneration(input),
    rejectGeneration: ({ generationId, reason }) => svc().rejectGeneration(generationId, reason),
    checkpoints: ({ projectId, limit }) => svc().checkpoints(projectId, limit),
    checkpointDiff: ({ projectId, checkpointId }) => svc().checkpointDiff(projectId, checkpointId),
    undo: ({ projectId }) => svc().undo(projectId),
    restore: ({ projectId, checkpointId }) => svc().restore(projectId, checkpointId),
    gitStatus: ({ projectId }) => svc().gitStatus(projectId),
    draftCommitMessage: ({ projectId, modelId }) => svc().draftCommitMessage(projectId, modelId),
  });
};
