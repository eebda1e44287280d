// Handlers for the `doctor` domain.
import { doctorContract } from '../../common/contracts/doctor';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const doctorHandlers = (s: AppServices) =>
  implement(doctorContract, {
    list: () => s.doctor.list(),
    run: (input, ctx, sink) => s.doctor.run(input, (p) => sink.emit(p), ctx.signal),
  });
