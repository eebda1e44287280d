// Wires every contract domain to its handlers: the single list both front doors serve.
import { DOMAINS } from '../../common/contracts';
import type { AppServices } from '../services';
import { apiTokensHandlers } from './api-tokens';
import { appHandlers } from './app';
import { appLockHandlers } from './app-lock';
import { auditHandlers } from './audit';
import { chatHandlers } from './chat';
import { clusterHandlers } from './cluster';
import { clusterRolesHandlers } from './cluster-roles';
import { codegenHandlers } from './codegen';
import { completionHandlers } from './completion';
import { modelsHandlers } from './models';
import { notificationsHandlers } from './notifications';
import { perfHandlers } from './perf';
import { diagnosisHandlers } from './diagnosis';
import { Dispatcher } from './dispatcher';
import { doctorHandlers } from './doctor';
import { experienceHandlers } from './experience';
import { jobLogsHandlers } from './job-logs';
import { providersHandlers } from './providers';
import { projectsHandlers } from './projects';
import { securityEventsHandlers } from './security-events';
import { settingsHandlers } from './settings';
import { storeHandlers } from './store';
import { workspaceHandlers } from './workspace';

export function createDispatcher(s: AppServices): Dispatcher {
  const implemented = [
    appHandlers(s),
    settingsHandlers(s),
    doctorHandlers(s),
    storeHandlers(s),
    auditHandlers(s),
    modelsHandlers(s),
    chatHandlers(s),
    providersHandlers(s),
    clusterHandlers(s),
    projectsHandlers(s),
    workspaceHandlers(s),
    codegenHandlers(s),
    completionHandlers(s),
    experienceHandlers(s),
    apiTokensHandlers(s),
    notificationsHandlers(s),
    securityEventsHandlers(s),
    diagnosisHandlers(s),
    jobLogsHandlers(s),
    clusterRolesHandlers(s),
    appLockHandlers(s),
    perfHandlers(s),
  ];
  const missing = DOMAINS.filter((d) => !implemented.some((i) => i.domain === d));
  if (missing.length > 0) throw new Error(`Domains without handlers: ${missing.map((d) => d.name).join(', ')}`);
  return new Dispatcher(implemented, s.log);
}

export { Dispatcher } from './dispatcher';
export { WireSession } from './wire-session';
