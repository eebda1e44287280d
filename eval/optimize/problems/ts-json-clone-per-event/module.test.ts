import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvents, type Cart } from './module';

const empty = (): Cart => ({ owner: 'zoë', lines: [], history: [] });

test('adds, increments, removes and clears in order', () => {
  const out = applyEvents(empty(), [
    { kind: 'add', sku: 'a', cents: 100 },
    { kind: 'add', sku: 'b', cents: 250 },
    { kind: 'add', sku: 'a', cents: 100 },
    { kind: 'remove', sku: 'b' },
  ]);
  assert.deepEqual(out, {
    owner: 'zoë',
    lines: [{ sku: 'a', qty: 2, cents: 100 }],
    history: ['add:a', 'add:b', 'add:a', 'remove:b'],
  });
  assert.deepEqual(applyEvents(out, [{ kind: 'clear' }]).lines, []);
});

test('line order is first-added order', () => {
  const out = applyEvents(empty(), [
    { kind: 'add', sku: 'z', cents: 1 },
    { kind: 'add', sku: 'a', cents: 1 },
    { kind: 'add', sku: 'z', cents: 1 },
  ]);
  assert.deepEqual(
    out.lines.map((l) => l.sku),
    ['z', 'a'],
  );
});

test('the cart passed in is never modified', () => {
  const cart: Cart = { owner: 'ada', lines: [{ sku: 'a', qty: 1, cents: 5 }], history: ['add:a'] };
  const snapshot = structuredClone(cart);
  applyEvents(cart, [
    { kind: 'add', sku: 'a', cents: 5 },
    { kind: 'remove', sku: 'a' },
  ]);
  assert.deepEqual(cart, snapshot);
});

test('no events returns an equal copy, not the same object', () => {
  const cart = empty();
  const out = applyEvents(cart, []);
  assert.deepEqual(out, cart);
  assert.notEqual(out, cart);
});
