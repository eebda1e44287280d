// Reference: copies the cart once (lines and history), then updates the private copy in place, with a Map for lines.

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
  // A Map keeps insertion order, the same order the array of lines would have.
  const lines = new Map<string, CartLine>(cart.lines.map((l) => [l.sku, { sku: l.sku, qty: l.qty, cents: l.cents }]));
  const history = [...cart.history];
  for (const event of events) {
    if (event.kind === 'add') {
      const line = lines.get(event.sku);
      if (line) line.qty += 1;
      else lines.set(event.sku, { sku: event.sku, qty: 1, cents: event.cents });
    } else if (event.kind === 'remove') {
      lines.delete(event.sku);
    } else {
      lines.clear();
    }
    history.push(event.kind === 'clear' ? 'clear' : `${event.kind}:${event.sku}`);
  }
  return { owner: cart.owner, lines: [...lines.values()], history };
}
