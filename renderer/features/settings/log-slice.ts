// App log state for Settings → Diagnostics: the newest entries at a chosen level, refreshed on demand, exportable.
import type { LogEntry } from '../../../common/contracts/app';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export type LogLevel = LogEntry['level'];

export interface LogSlice {
  appLog: { entries: LogEntry[]; file: string | null; minLevel: LogLevel; loading: boolean; error: UiError | null };
  loadAppLog(minLevel?: LogLevel): Promise<void>;
}

export const createLogSlice: SliceCreator<LogSlice> = (set, get) => ({
  appLog: { entries: [], file: null, minLevel: 'info', loading: false, error: null },
  async loadAppLog(minLevel) {
    const level = minLevel ?? get().appLog.minLevel;
    set({ appLog: { ...get().appLog, minLevel: level, loading: true, error: null } });
    const r = await getApi().app.logs({ limit: 500, minLevel: level });
    set({
      appLog: r.ok
        ? { entries: r.value.entries, file: r.value.file, minLevel: level, loading: false, error: null }
        : { ...get().appLog, loading: false, error: r.error },
    });
  },
});

/** The entries as JSON lines, the same format as the log file. */
export function logAsJsonLines(entries: readonly LogEntry[]): string {
  return entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : '');
}
