// Removes secrets and PII from text and chat messages before a cloud send; stable placeholders, counts per kind, and a preview.
// Synchronous and pure: it runs inside the redaction worker (worker.ts); main reaches it through WorkerRedactor.
import { EvolveError } from '../../common/errors';
import type { ChatMessage } from '../../common/providers/types';
import { DETECTORS, type Detector, type RedactionKind } from './patterns';

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

/** The largest request (all messages and the prompt together, UTF-8) that is redacted; larger ones are refused. */
export const MAX_REDACTION_INPUT_BYTES = 8 * 1024 * 1024;

export interface RedactionItem {
  kind: RedactionKind;
  placeholder: string;
}

/** UTF-8 length without allocating (the worker has no Buffer guarantee in every runtime). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** RESOURCE_EXHAUSTED when the texts together exceed the limit; names the limit and the size seen. */
export function assertRedactableSize(texts: readonly string[], limit = MAX_REDACTION_INPUT_BYTES): void {
  let total = 0;
  for (const t of texts) {
    // UTF-8 never takes fewer bytes than UTF-16 code units, so a string longer than the limit needs no exact count.
    total += t.length > limit ? limit + 1 : utf8Length(t);
    if (total > limit) break;
  }
  if (total <= limit) return;
  throw new EvolveError(
    'RESOURCE_EXHAUSTED',
    `This request is too large to redact before sending: the limit is ${limit / (1024 * 1024)} MiB (${limit} bytes) of text; shorten the prompt or attach less`,
    { limitBytes: limit },
  );
}

/** One redaction pass over a request: the same secret gets the same placeholder in every message. */
export class RedactionSession {
  private readonly bySecret = new Map<string, string>();
  private readonly perKind = new Map<RedactionKind, number>();
  readonly counts: RedactionCounts = {};

  constructor(private readonly detectors: readonly Detector[] = DETECTORS) {}

  private placeholder(kind: RedactionKind, secret: string): string {
    const key = `${kind}\u0000${secret}`;
    const existing = this.bySecret.get(key);
    if (existing) return existing;
    const n = (this.perKind.get(kind) ?? 0) + 1;
    this.perKind.set(kind, n);
    const ph = `[REDACTED_${kind}_${n}]`;
    this.bySecret.set(key, ph);
    return ph;
  }

  redact(text: string): string {
    let out = text;
    for (const d of this.detectors) {
      const parts: string[] = [];
      let last = 0;
      for (const hit of d.scan(out)) {
        parts.push(out.slice(last, hit.start), this.placeholder(hit.kind, out.slice(hit.start, hit.end)));
        last = hit.end;
        this.counts[hit.kind] = (this.counts[hit.kind] ?? 0) + 1;
      }
      if (parts.length > 0) out = parts.join('') + out.slice(last);
    }
    return out;
  }

  items(): RedactionItem[] {
    return [...this.bySecret.entries()].map(([key, placeholder]) => ({ kind: key.split('\u0000')[0] as RedactionKind, placeholder }));
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + (b ?? 0), 0);
  }
}

export interface RedactedMessages {
  messages: ChatMessage[];
  counts: RedactionCounts;
  total: number;
}

export interface PreviewInput {
  messages?: readonly ChatMessage[];
  prompt?: string;
}

export interface SendPreview {
  /** Exactly the messages (or prompt) that will leave the machine. */
  messages?: ChatMessage[];
  prompt?: string;
  counts: RedactionCounts;
  total: number;
  /** Placeholders with their kinds (never the secrets) so the UI can list what was removed. */
  items: RedactionItem[];
}

/** Texts of a preview input, for the size check. */
export function previewTexts(input: PreviewInput): string[] {
  return [...(input.messages ?? []).map((m) => m.content), ...(input.prompt !== undefined ? [input.prompt] : [])];
}

export class Redactor {
  constructor(
    private readonly detectors: readonly Detector[] = DETECTORS,
    private readonly maxInputBytes = MAX_REDACTION_INPUT_BYTES,
  ) {}

  session(): RedactionSession {
    return new RedactionSession(this.detectors);
  }

  redactText(text: string): { text: string; counts: RedactionCounts; total: number } {
    assertRedactableSize([text], this.maxInputBytes);
    const s = this.session();
    const out = s.redact(text);
    return { text: out, counts: s.counts, total: s.total };
  }

  redactMessages(messages: readonly ChatMessage[]): RedactedMessages {
    assertRedactableSize(
      messages.map((m) => m.content),
      this.maxInputBytes,
    );
    const s = this.session();
    const out = messages.map((m) => ({ ...m, content: s.redact(m.content) }));
    return { messages: out, counts: s.counts, total: s.total };
  }

  /** What will be sent: the router uses this same function, so the preview is byte-for-byte the payload text. */
  preview(input: PreviewInput): SendPreview {
    assertRedactableSize(previewTexts(input), this.maxInputBytes);
    const s = this.session();
    const res: SendPreview = { counts: s.counts, total: 0, items: [] };
    if (input.messages) res.messages = input.messages.map((m) => ({ ...m, content: s.redact(m.content) }));
    if (input.prompt !== undefined) res.prompt = s.redact(input.prompt);
    res.total = s.total;
    res.items = s.items();
    return res;
  }
}
