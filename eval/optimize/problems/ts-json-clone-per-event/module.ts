// Replays cart events onto the cart state for the undo history; the state passed in must never be modified.

export interface CartLine {
  sku: string;
  qty: number;
  cents: number;
}
export interface Cart {
  owner: string;
  lines: CartLine[];
  history: string[];
}
export type CartEvent = { kind: 'add'; sku: string; cents: number } | { kind: 'remove'; sku: string } | { kind: 'clear' };

/** Applies the events in order and returns the new cart; `cart` itself is left untouched (it is an undo snapshot). */
export function applyEvents(cart: Cart, events: CartEvent[]): Cart {
  let state = cart;
  for (const event of events) {
    // Copy before every change so no earlier snapshot is ever modified.
    const next: Cart = JSON.parse(JSON.stringify(state));
    if (event.kind === 'add') {
      const line = next.lines.find((l) => l.sku === event.sku);
      if (line) line.qty += 1;
      else next.lines.push({ sku: event.sku, qty: 1, cents: event.cents });
    } else if (event.kind === 'remove') {
      next.lines = next.lines.filter((l) => l.sku !== event.sku);
    } else {
      next.lines = [];
    }
    next.history.push(event.kind === 'clear' ? 'clear' : `${event.kind}:${event.sku}`);
    state = next;
  }
  return state === cart ? JSON.parse(JSON.stringify(cart)) : state;
}
