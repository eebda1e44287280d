// Collects items arriving faster than the screen refreshes (tokens, progress) and hands them over once
// per animation frame, so a fast stream costs one React render per frame, not one per token.
export type Scheduler = (cb: () => void) => unknown;

const defaultScheduler: Scheduler = (cb) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16);

export class FrameBatcher<T> {
  private buffer: T[] = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly schedule: Scheduler = defaultScheduler,
  ) {}

  push(item: T): void {
    this.buffer.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.drain());
  }

  /** Delivers whatever is buffered now (call when the stream ends). */
  drain(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.flush(items);
  }
}
