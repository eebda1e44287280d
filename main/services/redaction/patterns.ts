// The redaction detectors (defined in native/redact so the worker can load them without main).
export { DETECTORS, REDACTION_KINDS, type Detector, type RedactionKind } from '../../../native/redact/patterns';
