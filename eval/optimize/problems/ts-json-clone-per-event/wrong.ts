// Fast but wrong: updates the cart passed in instead of a copy, so the caller's undo snapshot changes too.

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

export function applyEvents(cart: Cart, events: CartEvent[]): Cart {
  for (const event of events) {
    if (event.kind === 'add') {
      const line = cart.lines.find((l) => l.sku === event.sku);
      if (line) line.qty += 1;
      else cart.lines.push({ sku: event.sku, qty: 1, cents: event.cents });
    } else if (event.kind === 'remove') {
      cart.lines = cart.lines.filter((l) => l.sku !== event.sku);
    } else {
      cart.lines = [];
    }
    cart.history.push(event.kind === 'clear' ? 'clear' : `${event.kind}:${event.sku}`);
  }
  return cart;
}
