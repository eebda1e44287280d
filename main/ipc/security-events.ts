// Handlers for the `securityEvents` domain: the security view over the audit log, export, syslog settings and test.
import { securityEventsContract } from '../../common/contracts/security-events';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const securityEventsHandlers = (s: AppServices) =>
  implement(securityEventsContract, {
    list: (filter) => s.securityEvents.events.list(filter),
    export: ({ format, filter }) => s.securityEvents.events.export(format, filter ?? {}),
    syslogGet: () => s.securityEvents.syslogSettings.load(),
    syslogSet: (input) => s.securityEvents.saveSyslog(input),
    syslogStatus: () => s.securityEvents.forwarder.status(),
    syslogTest: async () => ({ ok: true as const, bytes: await s.securityEvents.sendTest() }),
  });
