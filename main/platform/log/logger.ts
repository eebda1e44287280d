// The app's one structured logger (pino): levels, secrets redacted from messages and data, a rotating owner-only file in
// the data dir, and readable lines on stderr. Main, the host, the CLI and the workers (through their supervisors) use it.
import { readFileSync } from 'node:fs';
import pino, { type Logger as Pino } from 'pino';
import type { z } from 'zod';
import { LogEntrySchema, type LogLevelSchema, type LogEntry } from '../../../common/contracts/app';
import { DETECTORS } from '../../../native/redact/patterns';
import { RedactionSession } from '../../../native/redact/session';
import { RotatingFile } from './rotating-file';

export type LogLevel = z.infer<typeof LogLevelSchema>;
/** The one log function shape every service takes. */
export type Log = (level: LogLevel, msg: string, data?: unknown) => void;

export interface AppLoggerOptions {
  /** The log file (rotated by size); none: stderr only. */
  file?: string;
  /** Lowest level written to the file (default info; EVOLVE_LOG_LEVEL=debug for more). */
  level?: LogLevel;
  /** Lowest level echoed to stderr; 'silent' for none (tests, --json). */
  stderrLevel?: LogLevel | 'silent';
  maxBytes?: number;
  keep?: number;
}

/**
 * Secrets only: e-mail and IP detectors stay out, since "listening on 127.0.0.1:8787" and a user's own address are
 * what a log is for; keys, tokens, passwords and private keys never reach the file.
 */
const LOG_DETECTORS = DETECTORS.filter((d) => d.kind !== 'EMAIL' && d.kind !== 'IPV4' && d.kind !== 'IPV6');
/** Longer messages are cut before redaction, so one huge payload cannot stall the logger. */
const MAX_MESSAGE_CHARS = 16_384;
const SECRET_KEYS = /^(?:.*(?:token|secret|password|passphrase|apikey|api_key|authorization|cookie)|key|recoveryKey)$/i;

export function redactForLog(text: string): string {
  const cut =
    text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}… [${text.length - MAX_MESSAGE_CHARS} more chars]` : text;
  return new RedactionSession(LOG_DETECTORS).redact(cut);
}

/** Data attached to a log line: secret-named keys dropped, strings redacted, depth and size bounded. */
export function redactData(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactForLog(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 6) return '[…]';
  if (value instanceof Error)
    return { name: value.name, message: redactForLog(value.message), stack: value.stack ? redactForLog(value.stack) : undefined };
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactData(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 100)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redactData(v, depth + 1);
  return out;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export class AppLogger {
  private readonly pino: Pino;
  private readonly sink: RotatingFile | null;

  constructor(private readonly o: AppLoggerOptions = {}) {
    this.sink = o.file ? new RotatingFile({ file: o.file, maxBytes: o.maxBytes, keep: o.keep }) : null;
    const level = o.level ?? 'info';
    const stderrLevel = o.stderrLevel ?? 'info';
    const streams: pino.StreamEntry[] = [];
    if (this.sink) streams.push({ level, stream: this.sink });
    if (stderrLevel !== 'silent')
      streams.push({ level: stderrLevel, stream: { write: (line: string) => process.stderr.write(humanLine(line)) } });
    this.pino = pino(
      {
        // pino filters at the lowest level any destination wants; each stream then applies its own.
        level: streams.length ? streams.map((s) => s.level as LogLevel).reduce((a, b) => (ORDER[a] <= ORDER[b] ? a : b)) : 'silent',
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      pino.multistream(streams, { dedupe: false }),
    );
  }

  /** The log function for code with no scope of its own. */
  readonly log: Log = (level, msg, data) => this.write(undefined, level, msg, data);

  /** A log function whose lines carry `scope` (e.g. "host", "inference worker"). */
  scoped(scope: string): Log {
    return (level, msg, data) => this.write(scope, level, msg, data);
  }

  get file(): string | null {
    return this.sink?.file ?? null;
  }

  /** The newest `limit` entries at or above `minLevel`, newest last (reads the current and rolled-over files). */
  tail(limit = 500, minLevel: LogLevel = 'debug'): LogEntry[] {
    if (!this.sink) return [];
    const out: LogEntry[] = [];
    for (const f of this.sink.files().reverse()) {
      let lines: string[];
      try {
        lines = readFileSync(f, 'utf8').split('\n');
      } catch {
        continue; // rotated away between listing and reading
      }
      for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
        const e = parseEntry(lines[i] ?? '');
        if (e && ORDER[e.level] >= ORDER[minLevel]) out.push(e);
      }
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  close(): void {
    this.sink?.close();
  }

  private write(scope: string | undefined, level: LogLevel, msg: string, data: unknown): void {
    const fields: Record<string, unknown> = {};
    if (scope) fields.scope = scope;
    if (data !== undefined) fields.data = redactData(data);
    this.pino[level](fields, redactForLog(msg));
  }
}

function parseEntry(line: string): LogEntry | null {
  if (!line.trim()) return null;
  try {
    const r = LogEntrySchema.safeParse(JSON.parse(line));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** "[warn] host: message" for people reading a terminal; the file keeps the JSON. */
function humanLine(line: string): string {
  const e = parseEntry(line);
  if (!e) return line;
  return `[${e.level}] ${e.scope ? `${e.scope}: ` : ''}${e.msg}${e.data !== undefined ? ` ${JSON.stringify(e.data)}` : ''}\n`;
}
