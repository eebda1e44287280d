// The secret and PII detectors, most specific first; each names the kind that appears in placeholders and audit counts.
// Every detector runs in time linear in its input: see scanners.ts for why each one is, and bench/redaction.ts for the proof.
import {
  emailScanner,
  jwtScanner,
  privateKeyScanner,
  regexScanner,
  secretAssignmentScanner,
  urlPasswordScanner,
  type Hit,
} from './scanners';

export const REDACTION_KINDS = [
  'PRIVATE_KEY',
  'URL_PASSWORD',
  'ANTHROPIC_KEY',
  'OPENAI_KEY',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'GITLAB_TOKEN',
  'SLACK_TOKEN',
  'SLACK_WEBHOOK',
  'GOOGLE_API_KEY',
  'STRIPE_KEY',
  'HF_TOKEN',
  'NPM_TOKEN',
  'SENDGRID_KEY',
  'JWT',
  'BEARER_TOKEN',
  'PASSWORD',
  'SECRET',
  'EMAIL',
  'IPV4',
  'IPV6',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

export interface Detector {
  kind: RedactionKind;
  /** Yields the secret spans of `input` in increasing, non-overlapping order. */
  scan: (input: string) => Iterable<Hit<RedactionKind>>;
}

/** IPv4 context check: version numbers and addresses that reveal nothing (loopback, any, broadcast) stay. */
function notVersionContext(ip: string, index: number, input: string): boolean {
  const before = input.slice(Math.max(0, index - 12), index);
  if (/(?:version|ver|v)\s*[=:]?\s*["']?$/i.test(before)) return false;
  if (ip === '0.0.0.0' || ip.startsWith('127.') || ip === '255.255.255.255') return false;
  return true;
}

function rx(kind: RedactionKind, re: RegExp, group = 0, accept?: (v: string, index: number, input: string) => boolean): Detector {
  return { kind, scan: (input) => regexScanner(kind, re, group, input, accept) };
}

export const DETECTORS: readonly Detector[] = [
  { kind: 'PRIVATE_KEY', scan: (input) => privateKeyScanner('PRIVATE_KEY', input) },
  // Credentials in a URL authority (user, colon, password, at-sign, host): keep the user and host, drop the password.
  { kind: 'URL_PASSWORD', scan: (input) => urlPasswordScanner('URL_PASSWORD', input) },
  rx('ANTHROPIC_KEY', /\bsk-ant-(?:api|admin|oat|sid)?\d{0,2}-?[A-Za-z0-9_-]{20,}/g),
  rx('OPENAI_KEY', /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g),
  rx('AWS_ACCESS_KEY', /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g),
  rx(
    'AWS_SECRET_KEY',
    /\b(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    1,
  ),
  rx('GITHUB_TOKEN', /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g),
  rx('GITLAB_TOKEN', /\bglpat-[A-Za-z0-9_-]{20,}\b/g),
  rx('SLACK_WEBHOOK', /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g),
  rx('SLACK_TOKEN', /\bxox[abposre]-[A-Za-z0-9-]{10,}/g),
  rx('GOOGLE_API_KEY', /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g),
  rx('STRIPE_KEY', /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\b|\bwhsec_[0-9A-Za-z]{24,}\b/g),
  rx('HF_TOKEN', /\bhf_[A-Za-z0-9]{30,}\b/g),
  rx('NPM_TOKEN', /\bnpm_[A-Za-z0-9]{36}\b/g),
  rx('SENDGRID_KEY', /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g),
  { kind: 'JWT', scan: (input) => jwtScanner('JWT', input) },
  rx('BEARER_TOKEN', /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/-]{16,}=*)/g, 1),
  // key = value assignments in code, .env files, YAML, JSON, CLI flags; the value is removed, the name kept.
  { kind: 'SECRET', scan: (input) => secretAssignmentScanner(input) },
  {
    kind: 'EMAIL',
    // git@github.com:org/repo is an SSH remote, not a person.
    scan: (input) => emailScanner('EMAIL', input, (v) => !/^git@/i.test(v)),
  },
  rx(
    'IPV4',
    /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g,
    0,
    notVersionContext,
  ),
  rx(
    'IPV6',
    /(?<![\w:.])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})(?![\w:])/gi,
    0,
    // Needs a digit (C++ `Abc::Def` is all hex letters) and is not loopback.
    (v) => /\d/.test(v) && v !== '::1' && v.includes(':') && (v.match(/:/g) ?? []).length >= 2,
  ),
];
