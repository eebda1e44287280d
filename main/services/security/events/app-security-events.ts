// Wires the security events feature for the app: the view over the audit log, egress refusals into the audit log,
// and the syslog forwarder fed by a cursor over new audit rows (so every writer's rows are seen, none is missed).
import path from 'node:path';
import type { SyslogSettings } from '../../../../common/contracts/security-events';
import { toErrorInfo } from '../../../../common/errors';
import type { AuditRow } from '../../../../common/store/audit';
import type { EgressGuard } from '../../../platform/egress';
import type { StoreService } from '../../store/store-service';
import { SyslogForwarder } from '../syslog/forwarder';
import { SyslogSettingsStore } from '../syslog/settings-store';
import { classifyAuditRow } from './classify';
import { auditEgressRefusals } from './egress-audit';
import { SecurityEventsService } from './service';

type Log = (level: 'info' | 'warn' | 'error', msg: string) => void;

export interface AppSecurityEvents {
  readonly events: SecurityEventsService;
  readonly syslogSettings: SyslogSettingsStore;
  readonly forwarder: SyslogForwarder;
  /** Saves settings and applies them to the forwarder. */
  saveSyslog(input: unknown): Promise<SyslogSettings>;
  /** Sends the test message now (no backoff); resolves with its frame size. */
  sendTest(): Promise<number>;
  dispose(): void;
}

export function createAppSecurityEvents(o: {
  store: StoreService;
  guard: EgressGuard;
  dataDir: string;
  log: Log;
  pollMs?: number;
}): AppSecurityEvents {
  const { store, log } = o;
  const events = new SecurityEventsService(
    {
      assertReady: () => store.assertReady(),
      listAudit: (p) => store.client.call('audit.list', p),
    },
    path.join(o.dataDir, 'exports'),
  );
  const syslogSettings = new SyslogSettingsStore(store);
  const forwarder = new SyslogForwarder({ guard: o.guard, onError: (m) => log('warn', `syslog: ${m}`) });
  const unsubscribeEgress = auditEgressRefusals(
    o.guard,
    {
      get ready() {
        return store.ready;
      },
      record: (ev) => store.audit.record(ev),
    },
    (e) => log('warn', `audit of egress refusal failed: ${toErrorInfo(e).message}`),
  );

  // Cursor over the audit log: starts at the head when forwarding is turned on (history is not replayed).
  let cursor: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  const headSeq = async (): Promise<number> => {
    let after = 0;
    for (;;) {
      const rows = await store.client.call('audit.list', { afterSeq: after, limit: 1000 });
      if (rows.length === 0) return after;
      after = rows[rows.length - 1]?.seq ?? after;
      if (rows.length < 1000) return after;
    }
  };
  const poll = async (): Promise<void> => {
    if (polling || !store.ready || cursor === null) return;
    polling = true;
    try {
      for (;;) {
        const rows: AuditRow[] = await store.client.call('audit.list', { afterSeq: cursor ?? 0, limit: 500 });
        for (const r of rows) {
          cursor = r.seq;
          const e = classifyAuditRow(r);
          if (e) forwarder.enqueue(e);
        }
        if (rows.length < 500) break;
      }
    } catch (e) {
      log('warn', `syslog: reading the audit log failed: ${toErrorInfo(e).message}`);
    } finally {
      polling = false;
    }
  };
  const apply = async (s: SyslogSettings): Promise<void> => {
    if (timer) clearInterval(timer);
    timer = null;
    if (!s.enabled) {
      forwarder.configure(null);
      cursor = null;
      return;
    }
    forwarder.configure({ host: s.host, port: s.port, tls: s.tls, caPem: s.caPem, appName: s.appName });
    cursor ??= await headSeq();
    timer = setInterval(() => void poll(), o.pollMs ?? 2000);
    timer.unref();
  };
  store.onReady(() => {
    syslogSettings
      .load()
      .then(apply)
      .catch((e: unknown) => log('warn', `syslog settings: ${toErrorInfo(e).message}`));
  });

  return {
    events,
    syslogSettings,
    forwarder,
    saveSyslog: async (input) => {
      const saved = await syslogSettings.save(input);
      await apply(saved);
      return saved;
    },
    sendTest: () => forwarder.sendTest(),
    dispose: () => {
      if (timer) clearInterval(timer);
      unsubscribeEgress();
      forwarder.close();
    },
  };
}
