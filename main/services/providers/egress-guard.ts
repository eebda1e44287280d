// Providers use the one outbound guard of main/platform/egress; this keeps their import path.
export {
  EgressGuard,
  guardedFetch,
  isLoopbackHost,
  readCaFile,
  loadUndici,
  providerLeavesMachine,
  type BlockedEgress,
  type EgressPolicy,
  type ProviderEgressTarget as EgressTarget,
} from '../../platform/egress';
