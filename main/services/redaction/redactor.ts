// Redaction as main sees it: the engine lives in native/redact (it runs in a worker); this re-exports its types and the sync engine.
export {
  MAX_REDACTION_INPUT_BYTES,
  RedactionSession,
  Redactor,
  type PreviewInput,
  type RedactedMessages,
  type RedactionCounts,
  type RedactionItem,
  type SendPreview,
} from '../../../native/redact/session';
