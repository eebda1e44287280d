// Server-side stop strings for streamed text: holds back a tail that could still become a stop, so a client never
// sees part of a stop string; needed because clients send more stops (Continue: 9+) than the engine takes (16).
export class StopMatcher {
  private held = '';
  private readonly maxLen: number;
  stopped = false;

  constructor(private readonly stops: readonly string[]) {
    this.maxLen = stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /** Feeds generated text; returns what may be shown now. After a stop, everything else is dropped. */
  push(text: string): string {
    if (this.stopped) return '';
    if (this.maxLen === 0) return text;
    const buf = this.held + text;
    let cut = -1;
    for (const s of this.stops) {
      const i = buf.indexOf(s);
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      this.stopped = true;
      this.held = '';
      return buf.slice(0, cut);
    }
    // Keep the longest tail that is a prefix of some stop; it is released once it can no longer match.
    let keep = 0;
    for (let n = Math.min(this.maxLen - 1, buf.length); n > 0 && keep === 0; n--) {
      const tail = buf.slice(buf.length - n);
      if (this.stops.some((s) => s.startsWith(tail))) keep = n;
    }
    this.held = buf.slice(buf.length - keep);
    return buf.slice(0, buf.length - keep);
  }

  /** End of generation: the held tail did not become a stop, so it is part of the answer. */
  flush(): string {
    const out = this.stopped ? '' : this.held;
    this.held = '';
    return out;
  }
}
