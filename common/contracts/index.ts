// Every contract domain the app exposes, and the typed API shape the page sees as `window.evolve`.
import type { z } from 'zod';
import type { Result } from '../result';
import { apiTokensContract } from './api-tokens';
import { appContract } from './app';
import { appLockContract } from './app-lock';
import { auditContract } from './audit';
import { chatContract } from './chat';
import { clusterContract } from './cluster';
import { clusterRolesContract } from './cluster-roles';
import { codegenContract } from './codegen';
import { completionContract } from './completion';
import type { CallSpec, Domain, MethodSpec, StreamSpec } from './define';
import { doctorContract } from './doctor';
import { experienceContract } from './experience';
import { jobLogsContract } from './job-logs';
import { providersContract } from './providers';
import { modelsContract } from './models';
import { notificationsContract } from './notifications';
import { perfContract } from './perf';
import { diagnosisContract } from './diagnosis';
import { projectsContract } from './projects';
import { securityEventsContract } from './security-events';
import { settingsContract } from './settings';
import { storeContract } from './store';
import { workspaceContract } from './workspace';

export * from './define';
export { appContract } from './app';
export { settingsContract } from './settings';
export { doctorContract } from './doctor';
export { storeContract } from './store';
export { auditContract } from './audit';
export { providersContract } from './providers';
export { modelsContract } from './models';
export { chatContract } from './chat';
export { clusterContract } from './cluster';
export { projectsContract } from './projects';
export { codegenContract } from './codegen';
export { workspaceContract } from './workspace';
export { experienceContract } from './experience';
export { completionContract } from './completion';
export { apiTokensContract } from './api-tokens';
export { jobLogsContract } from './job-logs';
export { notificationsContract } from './notifications';
export { diagnosisContract } from './diagnosis';
export { clusterRolesContract } from './cluster-roles';
export { appLockContract } from './app-lock';
export { securityEventsContract } from './security-events';
export { perfContract } from './perf';

/** Register a new domain here: preload, the host client and main's dispatcher all read this list. */
export const DOMAINS = [
  appContract,
  settingsContract,
  doctorContract,
  storeContract,
  auditContract,
  modelsContract,
  chatContract,
  providersContract,
  clusterContract,
  projectsContract,
  workspaceContract,
  codegenContract,
  completionContract,
  experienceContract,
  apiTokensContract,
  notificationsContract,
  diagnosisContract,
  jobLogsContract,
  clusterRolesContract,
  appLockContract,
  securityEventsContract,
  perfContract,
] as const;

export interface StreamHandle<E, R> {
  /** Resolves once with the final result (ok, an error, or CANCELLED). */
  readonly result: Promise<Result<R>>;
  /** Stops the stream; the result then resolves with CANCELLED unless it already ended. */
  cancel(): void;
  /** Present only for typing; events arrive through the `onEvent` callback. */
  readonly __event?: E;
}

export type CallFn<S extends CallSpec> = (input: z.input<S['input']>) => Promise<Result<z.output<S['output']>>>;
export type StreamFn<S extends StreamSpec> = (
  input: z.input<S['input']>,
  onEvent: (event: z.output<S['event']>) => void,
) => StreamHandle<z.output<S['event']>, z.output<S['output']>>;

export type MethodFn<S extends MethodSpec> = S extends StreamSpec ? StreamFn<S> : S extends CallSpec ? CallFn<S> : never;
export type DomainClient<D extends Domain> = { [K in keyof D['methods']]: MethodFn<D['methods'][K]> };
type DomainsUnion = (typeof DOMAINS)[number];
export type EvolveApi = { [D in DomainsUnion as D['name']]: DomainClient<D> };
