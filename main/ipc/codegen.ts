// Handlers for the `codegen` domain: generate streams the engine's events; list/get/accept/reject read and decide
// stored generations.
import { codegenContract } from '../../common/contracts/codegen';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const codegenHandlers = (s: AppServices) =>
  implement(codegenContract, {
    generate: (input, ctx, sink) =>
      s.codegen.generate(
        input,
        // A page that went away does not stop the generation's bookkeeping; cancel (ctx.signal) does.
        (e) => void sink.emit(e).catch(() => undefined),
        ctx.signal,
      ),
    list: ({ projectId, limit }) => s.codegen.list(projectId, limit),
    get: ({ generationId }) => s.codegen.get(generationId),
    accept: ({ generationId, reason }) => s.codegen.accept(generationId, reason),
    reject: ({ generationId, reason }) => s.codegen.reject(generationId, reason),
  });
