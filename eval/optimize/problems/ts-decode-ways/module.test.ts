import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWays } from './module';

test('classic examples', () => {
  assert.equal(decodeWays('12'), 2n);
  assert.equal(decodeWays('226'), 3n);
  assert.equal(decodeWays('11106'), 2n);
});

test('zeros', () => {
  assert.equal(decodeWays('0'), 0n);
  assert.equal(decodeWays('06'), 0n);
  assert.equal(decodeWays('10'), 1n);
  assert.equal(decodeWays('100'), 0n);
});

test('empty string has no reading', () => {
  assert.equal(decodeWays(''), 0n);
});

test('27 and above are one code each', () => {
  assert.equal(decodeWays('27'), 1n);
  assert.equal(decodeWays('26'), 2n);
});

test('grows like Fibonacci', () => {
  assert.equal(decodeWays('1'.repeat(20)), 10946n);
});

test('rejects non-digits', () => {
  assert.throws(() => decodeWays('12a'), RangeError);
  assert.throws(() => decodeWays('１２'), RangeError);
});
