import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupByTemplate } from './module';

test('groups by template in order of first appearance', () => {
  assert.deepEqual(groupByTemplate(['took 12 ms', 'disk full', 'took 7 ms', 'disk full']), [
    { template: 'took # ms', lines: [0, 2] },
    { template: 'disk full', lines: [1, 3] },
  ]);
});

test('empty input', () => {
  assert.deepEqual(groupByTemplate([]), []);
});

test('surrounding whitespace is ignored, unicode kept', () => {
  assert.deepEqual(groupByTemplate([' échec 1 ', 'échec 22']), [{ template: 'échec #', lines: [0, 1] }]);
});

test('an empty message is its own template', () => {
  assert.deepEqual(groupByTemplate(['', '3', '']), [
    { template: '', lines: [0, 2] },
    { template: '#', lines: [1] },
  ]);
});
