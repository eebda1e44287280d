// The secret and PII detectors, most specific first; each names the kind that appears in placeholders and audit counts.

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
  /** Must be global. */
  re: RegExp;
  /** Index of the capture group holding the secret; 0 = whole match. Text outside the group is kept. */
  group: number;
  /** Returns false to keep a match (context-dependent negatives). */
  accept?: (value: string, match: RegExpExecArray, input: string) => boolean;
  /** Lets one regex yield a more precise kind (e.g. PASSWORD vs SECRET). */
  kindOf?: (match: RegExpExecArray) => RedactionKind;
}

/** Values on the right of `token =` that are code, not secrets (calls, member access, types, env lookups, keywords). */
const CODE_VALUE =
  /^(?:null|none|nil|undefined|true|false|required|optional|string|str|bytes|number|int|bool|boolean|any|unknown|object|secret|password|token|changeme|xxx+|\*+|<[^>]*>|\$\{?.*|\{\{.*|%\(.*|process\.env.*|os\.environ.*|env\(.*)$/i;

function looksLikeCode(v: string): boolean {
  if (CODE_VALUE.test(v)) return true;
  if (/[()[\]<>{}]/.test(v)) return true; // calls, generics, indexing, templates
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v)) return true; // member access: self.token, config.apiKey
  if (/^[A-Za-z_$][\w$]*$/.test(v) && /[a-z][A-Z]|_[a-z]/.test(v) && !/\d/.test(v)) return true; // camelCase / snake_case identifier
  return false;
}

function notVersionContext(_v: string, m: RegExpExecArray, input: string): boolean {
  const before = input.slice(Math.max(0, m.index - 12), m.index);
  if (/(?:version|ver|v)\s*[=:]?\s*["']?$/i.test(before)) return false;
  const ip = m[0];
  // Loopback and the any-address reveal nothing and are everywhere in code and configs.
  if (ip === '0.0.0.0' || ip.startsWith('127.') || ip === '255.255.255.255') return false;
  return true;
}

export const DETECTORS: readonly Detector[] = [
  {
    kind: 'PRIVATE_KEY',
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
  },
  // Credentials in a URL authority (user, colon, password, at-sign, host): keep the user and host, drop the password.
  { kind: 'URL_PASSWORD', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*:([^\s@/"'`]+)@/gi, group: 1 },
  { kind: 'ANTHROPIC_KEY', re: /\bsk-ant-(?:api|admin|oat|sid)?\d{0,2}-?[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'OPENAI_KEY', re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'AWS_ACCESS_KEY', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g, group: 0 },
  {
    kind: 'AWS_SECRET_KEY',
    re: /\b(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
  },
  { kind: 'GITHUB_TOKEN', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, group: 0 },
  { kind: 'GITLAB_TOKEN', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, group: 0 },
  { kind: 'SLACK_WEBHOOK', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g, group: 0 },
  { kind: 'SLACK_TOKEN', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, group: 0 },
  { kind: 'GOOGLE_API_KEY', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, group: 0 },
  { kind: 'STRIPE_KEY', re: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\b|\bwhsec_[0-9A-Za-z]{24,}\b/g, group: 0 },
  { kind: 'HF_TOKEN', re: /\bhf_[A-Za-z0-9]{30,}\b/g, group: 0 },
  { kind: 'NPM_TOKEN', re: /\bnpm_[A-Za-z0-9]{36}\b/g, group: 0 },
  { kind: 'SENDGRID_KEY', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, group: 0 },
  { kind: 'JWT', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, group: 0 },
  { kind: 'BEARER_TOKEN', re: /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/-]{16,}=*)/g, group: 1 },
  {
    // key = value assignments in code, .env files, YAML, JSON, CLI flags; the value is removed, the name kept.
    kind: 'SECRET',
    re: /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key))(["']?)(\s*(?::|=|:=)\s*|\s+)(["'`]?)([^\s"'`,;]{4,})\4/gi,
    group: 5,
    accept: (v, m, input) => {
      const name = m[1] ?? '';
      // A space-separated `--password VALUE` flag needs a flag prefix; a bare word followed by space is prose.
      if (m[3] !== undefined && !/[:=]/.test(m[3]) && !/^-{1,2}/.test(name)) return false;
      // .NET PublicKeyToken and other public-* values are published on purpose.
      if (/public/i.test(name)) return false;
      if (v.startsWith('[REDACTED_')) return false;
      const quoted = (m[4] ?? '') !== '';
      if (quoted) return !CODE_VALUE.test(v) && !/^\$\{|^\{\{/.test(v);
      if (looksLikeCode(v)) return false;
      // `password = await prompt()`: a plain word followed by more code on the same line is an expression.
      const rest = input.slice(m.index + m[0].length).split('\n', 1)[0] ?? '';
      if (/^[A-Za-z]+$/.test(v) && /\S/.test(rest)) return false;
      return true;
    },
    kindOf: (m) => (/pass|pwd/i.test(m[1] ?? '') ? 'PASSWORD' : 'SECRET'),
  },
  {
    kind: 'EMAIL',
    re: /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b/g,
    group: 0,
    // git@github.com:org/repo is an SSH remote, not a person.
    accept: (v) => !/^git@/i.test(v),
  },
  {
    kind: 'IPV4',
    re: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g,
    group: 0,
    accept: notVersionContext,
  },
  {
    kind: 'IPV6',
    re: /(?<![\w:.])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})(?![\w:])/gi,
    group: 0,
    // Needs a digit (C++ `Abc::Def` is all hex letters) and is not loopback.
    accept: (v) => /\d/.test(v) && v !== '::1' && v.includes(':') && (v.match(/:/g) ?? []).length >= 2,
  },
];
