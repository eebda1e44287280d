// The process's egress guard: one instance, its policy read from settings (offline-only + allowed destinations).
// Until settings are read it is offline-only with nothing allowed, so nothing leaves the machine by accident.
import { EgressGuard } from './guard';
import type { EgressPolicy } from './policy';

export {
  EgressGuard,
  isLoopbackHost,
  providerLeavesMachine,
  type BlockedEgress,
  type EgressGuardOptions,
  type ProviderEgressTarget,
} from './guard';
export {
  EGRESS_FEATURES,
  FEATURE_LABELS,
  isLoopbackAddress,
  parseDestination,
  refusalReason,
  type EgressFeature,
  type EgressPolicy,
} from './policy';
export { guardedAgent, guardedDispatcher, guardedFetch, guardedSocket, loadUndici, type TlsClientOptions } from './transports';

let policySource: () => EgressPolicy = () => ({ offlineOnly: true });
const processGuard = new EgressGuard(() => policySource());

/** The guard every client uses unless a test hands it another one. */
export function processEgressGuard(): EgressGuard {
  return processGuard;
}

/** Called once by the services (main, host, CLI) with the settings-backed policy. */
export function configureProcessEgress(source: () => EgressPolicy): void {
  policySource = source;
}
export {
  egressMailTransport,
  egressRequest,
  egressWebSocket,
  type EgressRequestOptions,
  type EgressSmtpOptions,
  type EgressWebSocketOptions,
} from './clients';
export { certificateError, certificateProblem, readCaFile, withSystemRoots, type CertificateProblem } from './tls';
