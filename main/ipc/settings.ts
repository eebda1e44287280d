// Handlers for the `settings` domain.
import { settingsContract } from '../../common/contracts/settings';
import { readCaFile } from '../platform/egress';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const settingsHandlers = (s: AppServices) =>
  implement(settingsContract, {
    get: () => s.settings.get(),
    update: async (patch) => {
      // A download CA file that cannot be read is refused when it is saved (INVALID_ARGUMENT, shown next to the field),
      // not first at the next download; each download reads it again anyway (ModelManager.download).
      if (patch.modelDownloadCaFile) readCaFile(patch.modelDownloadCaFile);
      return s.settings.update(patch);
    },
  });
