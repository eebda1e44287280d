// Removes secrets and PII from text and chat messages before a cloud send; stable placeholders, counts per kind, and a preview.
import type { ChatMessage } from '../../../common/providers/types';
import { DETECTORS, type Detector, type RedactionKind } from './patterns';

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

export interface RedactionItem {
  kind: RedactionKind;
  placeholder: string;
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
      d.re.lastIndex = 0;
      let result = '';
      let last = 0;
      let m: RegExpExecArray | null;
      while ((m = d.re.exec(out)) !== null) {
        if (m[0].length === 0) {
          d.re.lastIndex++;
          continue;
        }
        const value = m[d.group];
        if (value === undefined || value.length === 0) continue;
        if (d.accept && !d.accept(value, m, out)) continue;
        const kind = d.kindOf ? d.kindOf(m) : d.kind;
        // Locate the group inside the whole match (the last occurrence is the value for "name=value" shapes).
        const offsetInMatch = d.group === 0 ? 0 : m[0].lastIndexOf(value);
        const start = m.index + offsetInMatch;
        result += out.slice(last, start) + this.placeholder(kind, value);
        last = start + value.length;
        this.counts[kind] = (this.counts[kind] ?? 0) + 1;
      }
      if (last > 0) out = result + out.slice(last);
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

export interface SendPreview {
  /** Exactly the messages (or prompt) that will leave the machine. */
  messages?: ChatMessage[];
  prompt?: string;
  counts: RedactionCounts;
  total: number;
  /** Placeholders with their kinds (never the secrets) so the UI can list what was removed. */
  items: RedactionItem[];
}

export class Redactor {
  constructor(private readonly detectors: readonly Detector[] = DETECTORS) {}

  session(): RedactionSession {
    return new RedactionSession(this.detectors);
  }

  redactText(text: string): { text: string; counts: RedactionCounts; total: number } {
    const s = this.session();
    const out = s.redact(text);
    return { text: out, counts: s.counts, total: s.total };
  }

  redactMessages(messages: readonly ChatMessage[]): RedactedMessages {
    const s = this.session();
    const out = messages.map((m) => ({ ...m, content: s.redact(m.content) }));
    return { messages: out, counts: s.counts, total: s.total };
  }

  /** What will be sent: the router uses this same function, so the preview is byte-for-byte the payload text. */
  preview(input: { messages?: readonly ChatMessage[]; prompt?: string }): SendPreview {
    const s = this.session();
    const res: SendPreview = { counts: s.counts, total: 0, items: [] };
    if (input.messages) res.messages = input.messages.map((m) => ({ ...m, content: s.redact(m.content) }));
    if (input.prompt !== undefined) res.prompt = s.redact(input.prompt);
    res.total = s.total;
    res.items = s.items();
    return res;
  }
}
