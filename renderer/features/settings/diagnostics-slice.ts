// Diagnostics state: runs `doctor.run` as a stream with progress and cancel.
import type { DoctorCheck, DoctorReport } from '../../../common/contracts/doctor';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import { FrameBatcher } from '../../lib/frame-batcher';
import type { UiError } from '../../lib/errors';

export interface DiagnosticsSlice {
  diagnostics: {
    running: boolean;
    checks: DoctorCheck[];
    total: number;
    report: DoctorReport | null;
    error: UiError | null;
  };
  runDiagnostics(): Promise<void>;
  cancelDiagnostics(): void;
}

let cancelCurrent: (() => void) | null = null;

export const createDiagnosticsSlice: SliceCreator<DiagnosticsSlice> = (set, get) => ({
  diagnostics: { running: false, checks: [], total: 0, report: null, error: null },
  async runDiagnostics() {
    if (get().diagnostics.running) return;
    set({ diagnostics: { running: true, checks: [], total: 0, report: null, error: null } });
    const batcher = new FrameBatcher<{ total: number; check: DoctorCheck }>((items) => {
      const d = get().diagnostics;
      set({ diagnostics: { ...d, total: items.at(-1)?.total ?? d.total, checks: [...d.checks, ...items.map((i) => i.check)] } });
    });
    const handle = getApi().doctor.run({}, (p) => batcher.push({ total: p.total, check: p.check }));
    cancelCurrent = handle.cancel;
    const r = await handle.result;
    batcher.drain();
    cancelCurrent = null;
    const d = get().diagnostics;
    set({
      diagnostics: r.ok ? { ...d, running: false, report: r.value, checks: r.value.checks } : { ...d, running: false, error: r.error },
    });
  },
  cancelDiagnostics() {
    cancelCurrent?.();
  },
});
