// Handlers for the `perf` domain: optimize streams the lab's progress (summarised by perf-progress.ts) and returns
// the report; profile runs the profiler alone. Trust, target checks and the audit live in PerfService.
import { perfContract } from '../../common/contracts/perf';
import type { AppServices } from '../services';
import { implement } from './handlers';
import { progressMapper } from './perf-progress';
import { DEFAULT_SIZES } from '../services/perf/lab/optimize';

export const perfHandlers = (s: AppServices) =>
  implement(perfContract, {
    optimize: ({ projectId, target, inputsSource, sizes, proposals, modelId }, ctx, sink) => {
      const toEvent = progressMapper();
      return s.perf.optimize(
        {
          projectId,
          target,
          ...(inputsSource ? { inputs: { source: inputsSource, sizes: sizes ?? [...DEFAULT_SIZES] } } : {}),
          ...(sizes ? { sizes } : {}),
          ...(proposals ? { proposals } : {}),
          ...(modelId ? { modelId } : {}),
        },
        (p) => {
          const e = toEvent(p);
          // A page that went away does not stop the run's bookkeeping (audit, stored generations); cancel does.
          if (e) void sink.emit(e).catch(() => undefined);
        },
        ctx.signal,
      );
    },
    profile: ({ projectId, target, inputsSource, sizes }, ctx) =>
      s.perf.profile({ projectId, target, inputs: { source: inputsSource, sizes: sizes ?? [...DEFAULT_SIZES] } }, ctx.signal),
    sqlQueries: ({ projectId }, ctx) => s.perf.sqlQueries({ projectId }, ctx.signal),
    verifyIndex: ({ projectId, sql, ddl, sizes }, ctx) =>
      s.perf.verifyIndex({ projectId, sql, ddl, ...(sizes ? { sizes } : {}) }, ctx.signal),
  });
