import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visibleProducts } from './module';

const p = (sku: string, title = sku.toUpperCase()) => ({ sku, title });

test('drops archived products and keeps catalogue order', () => {
  assert.deepEqual(visibleProducts([p('c'), p('a'), p('b')], ['a']), [p('c'), p('b')]);
});

test('keeps duplicate catalogue entries', () => {
  assert.deepEqual(visibleProducts([p('a', 'one'), p('a', 'two'), p('b')], ['b']), [p('a', 'one'), p('a', 'two')]);
});

test('empty inputs', () => {
  assert.deepEqual(visibleProducts([], ['a']), []);
  assert.deepEqual(visibleProducts([p('a')], []), [p('a')]);
});

test('unicode SKUs compare exactly', () => {
  assert.deepEqual(visibleProducts([p('café'), p('cafe')], ['café']), [p('cafe')]);
});

test('does not modify its inputs', () => {
  const catalogue = [p('a'), p('b')];
  const archived = ['a'];
  visibleProducts(catalogue, archived);
  assert.deepEqual(catalogue, [p('a'), p('b')]);
  assert.deepEqual(archived, ['a']);
});
