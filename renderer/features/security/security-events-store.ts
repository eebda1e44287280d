// State for the Security events panel: the filter, the events main classified, exports, syslog settings and status.
import { create } from 'zustand';
import type { SecurityEvent, SecurityEventFilter, SyslogSettings, SyslogStatus } from '../../../common/contracts/security-events';
import { getApi } from '../../api';

interface SecurityEventsState {
  filter: SecurityEventFilter;
  events: SecurityEvent[];
  loading: boolean;
  error: string | null;
  exported: { path: string; count: number } | null;
  syslog: SyslogSettings | null;
  syslogStatus: SyslogStatus | null;
  syslogMessage: { ok: boolean; text: string } | null;
  setFilter(patch: Partial<SecurityEventFilter>): Promise<void>;
  load(): Promise<void>;
  exportAs(format: 'json' | 'csv'): Promise<void>;
  loadSyslog(): Promise<void>;
  saveSyslog(s: SyslogSettings): Promise<boolean>;
  testSyslog(): Promise<void>;
}

/** Drops empty fields so the contract sees only what the user set. */
function clean(f: SecurityEventFilter): SecurityEventFilter {
  const out: SecurityEventFilter = {};
  if (f.categories && f.categories.length > 0) out.categories = f.categories;
  if (f.minSeverity) out.minSeverity = f.minSeverity;
  if (f.since !== undefined) out.since = f.since;
  if (f.until !== undefined) out.until = f.until;
  if (f.text && f.text.trim()) out.text = f.text.trim();
  return out;
}

export const useSecurityEvents = create<SecurityEventsState>((set, get) => ({
  filter: {},
  events: [],
  loading: false,
  error: null,
  exported: null,
  syslog: null,
  syslogStatus: null,
  syslogMessage: null,
  async setFilter(patch) {
    const next: SecurityEventFilter = { ...get().filter, ...patch };
    for (const k of Object.keys(patch) as (keyof SecurityEventFilter)[]) if (patch[k] === undefined) delete next[k];
    set({ filter: next });
    await get().load();
  },
  async load() {
    set({ loading: true });
    const r = await getApi().securityEvents.list(clean(get().filter));
    set(r.ok ? { events: r.value, loading: false, error: null } : { loading: false, error: r.error.message });
  },
  async exportAs(format) {
    const r = await getApi().securityEvents.export({ format, filter: clean(get().filter) });
    set(r.ok ? { exported: r.value, error: null } : { error: r.error.message });
  },
  async loadSyslog() {
    const [s, st] = await Promise.all([getApi().securityEvents.syslogGet({}), getApi().securityEvents.syslogStatus({})]);
    set({ ...(s.ok ? { syslog: s.value } : { error: s.error.message }), ...(st.ok ? { syslogStatus: st.value } : {}) });
  },
  async saveSyslog(s) {
    const r = await getApi().securityEvents.syslogSet(s);
    set({
      syslogMessage: r.ok ? { ok: true, text: 'Saved.' } : { ok: false, text: r.error.message },
      ...(r.ok ? { syslog: r.value } : {}),
    });
    void get().loadSyslog();
    return r.ok;
  },
  async testSyslog() {
    set({ syslogMessage: { ok: true, text: 'Sending…' } });
    const r = await getApi().securityEvents.syslogTest({});
    set({ syslogMessage: r.ok ? { ok: true, text: `Test message sent (${r.value.bytes} bytes).` } : { ok: false, text: r.error.message } });
    void get().loadSyslog();
  },
}));
