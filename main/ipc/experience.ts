// Handlers for the `experience` domain: the codegen store's decisions and learned conventions.
import { experienceContract } from '../../common/contracts/experience';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const experienceHandlers = (s: AppServices) =>
  implement(experienceContract, {
    decisions: ({ projectId, limit }) => s.codegen.store.decisions(projectId, limit),
    conventions: ({ projectId, includeRemoved }) => s.codegen.store.conventions(projectId, includeRemoved ?? false),
    editConvention: ({ id, text }) => s.codegen.store.editConvention(id, text),
    removeConvention: ({ id }) => s.codegen.store.removeConvention(id),
  });
