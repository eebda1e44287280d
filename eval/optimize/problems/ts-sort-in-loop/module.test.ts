import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentileRanks } from './module';

test('ranks count strictly lower scores', () => {
  assert.deepEqual(percentileRanks([50, 70, 70, 90]), [0, 25, 25, 75]);
});

test('order of the output follows the input', () => {
  assert.deepEqual(percentileRanks([90, 50, 70]), [66.7, 0, 33.3]);
});

test('empty and single', () => {
  assert.deepEqual(percentileRanks([]), []);
  assert.deepEqual(percentileRanks([42]), [0]);
});

test('all equal scores rank 0', () => {
  assert.deepEqual(percentileRanks([3, 3, 3]), [0, 0, 0]);
});

test('negative and fractional scores', () => {
  assert.deepEqual(percentileRanks([-1.5, 2.25, -3]), [33.3, 66.7, 0]);
});

test('does not reorder the input', () => {
  const scores = [3, 1, 2];
  percentileRanks(scores);
  assert.deepEqual(scores, [3, 1, 2]);
});
