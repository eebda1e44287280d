// Audit state: rows (newest page), a kind filter, chain verification and export.
import type { AuditRow, AuditVerify } from '../../../common/store/audit';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface AuditSlice {
  audit: {
    rows: AuditRow[];
    kinds: string[];
    kind: string | null;
    loading: boolean;
    error: UiError | null;
    verify: AuditVerify | null;
    exported: { path: string; count: number } | null;
  };
  loadAudit(): Promise<void>;
  setAuditKind(kind: string | null): Promise<void>;
  verifyAudit(): Promise<void>;
  exportAudit(): Promise<void>;
}

export const createAuditSlice: SliceCreator<AuditSlice> = (set, get) => {
  const patch = (p: Partial<AuditSlice['audit']>) => set({ audit: { ...get().audit, ...p } });
  return {
    audit: { rows: [], kinds: [], kind: null, loading: false, error: null, verify: null, exported: null },
    async loadAudit() {
      patch({ loading: true });
      const api = getApi();
      const [kinds, rows] = await Promise.all([
        get().audit.kinds.length ? Promise.resolve(null) : api.audit.kinds({}),
        api.audit.list({ ...(get().audit.kind ? { kinds: [get().audit.kind as string] } : {}), limit: 500 }),
      ]);
      if (kinds?.ok) patch({ kinds: kinds.value });
      patch(rows.ok ? { rows: rows.value, loading: false, error: null } : { loading: false, error: rows.error });
    },
    async setAuditKind(kind) {
      patch({ kind });
      await get().loadAudit();
    },
    async verifyAudit() {
      const r = await getApi().audit.verify({});
      patch(r.ok ? { verify: r.value, error: null } : { error: r.error });
    },
    async exportAudit() {
      const r = await getApi().audit.export({});
      patch(r.ok ? { exported: r.value, error: null } : { error: r.error });
    },
  };
};
