// In-process publish/subscribe for app-level events (menu navigation, worker crashes) that the page
// receives through the `app.events` stream.
import type { AppEvent } from '../../../common/contracts/app';

export class EventHub {
  private readonly subscribers = new Set<(e: AppEvent) => void>();

  publish(event: AppEvent): void {
    for (const cb of this.subscribers) cb(event);
  }

  subscribe(cb: (e: AppEvent) => void): () => void {
    this.subscribers.add(cb);
    return () => this.subscribers.delete(cb);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
