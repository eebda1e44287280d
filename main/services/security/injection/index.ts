// Prompt-injection detection: the detector and its parts (see README in test/fixtures/security/injection for the corpus).
export { detectInjection, scoreHits, FLAG_THRESHOLD, MAX_SCAN_CHARS, type DetectOptions, type InjectionReport } from './detector';
export { normalise, type Normalised, type UnicodeSignals } from './normalise';
export { decodeBase64Runs } from './decode';
export { TEXT_RULES } from './text-rules';
