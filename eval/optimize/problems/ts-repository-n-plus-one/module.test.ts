import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recentOrderRows, type Customer } from './module';

function repo(rows: Customer[]) {
  const calls = { get: 0, getMany: 0 };
  return {
    calls,
    get(id: number) {
      calls.get++;
      return rows.find((r) => r.id === id);
    },
    getMany(ids: number[]) {
      calls.getMany++;
      return rows.filter((r) => ids.includes(r.id));
    },
  };
}

test('one row per order with the customer name and a formatted total', () => {
  const rows = recentOrderRows(
    [
      { id: 10, customerId: 1, cents: 1999 },
      { id: 11, customerId: 2, cents: 5 },
      { id: 12, customerId: 1, cents: 100000 },
    ],
    repo([
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Zoë' },
    ]),
  );
  assert.deepEqual(rows, [
    { orderId: 10, customer: 'Ada', total: '19.99' },
    { orderId: 11, customer: 'Zoë', total: '0.05' },
    { orderId: 12, customer: 'Ada', total: '1000.00' },
  ]);
});

test('a deleted customer is labelled, not dropped', () => {
  assert.deepEqual(recentOrderRows([{ id: 1, customerId: 9, cents: 0 }], repo([])), [
    { orderId: 1, customer: 'unknown customer', total: '0.00' },
  ]);
});

test('no orders, no rows', () => {
  assert.deepEqual(recentOrderRows([], repo([{ id: 1, name: 'Ada' }])), []);
});
