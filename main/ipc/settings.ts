// Handlers for the `settings` domain.
import { settingsContract } from '../../common/contracts/settings';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const settingsHandlers = (s: AppServices) =>
  implement(settingsContract, {
    get: () => s.settings.get(),
    update: (patch) => s.settings.update(patch),
  });
