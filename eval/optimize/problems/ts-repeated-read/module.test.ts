import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translateAll } from './module';

const reader = (catalogue: Record<string, unknown>) => {
  const calls = { count: 0 };
  return {
    calls,
    read: () => {
      calls.count++;
      return JSON.stringify(catalogue);
    },
  };
};

test('translates each key, in order', () => {
  const { read } = reader({ 'menu.open': 'Öffnen', 'menu.close': 'Schließen' });
  assert.deepEqual(translateAll(['menu.close', 'menu.open', 'menu.close'], read), ['Schließen', 'Öffnen', 'Schließen']);
});

test('a missing or non-text entry falls back to the key', () => {
  const { read } = reader({ a: 1, b: null, c: 'C' });
  assert.deepEqual(translateAll(['a', 'b', 'c', 'd'], read), ['a', 'b', 'C', 'd']);
});

test('inherited object properties are not translations', () => {
  const { read } = reader({});
  assert.deepEqual(translateAll(['toString', 'constructor'], read), ['toString', 'constructor']);
});

test('no keys reads nothing', () => {
  const { read, calls } = reader({ a: 'A' });
  assert.deepEqual(translateAll([], read), []);
  assert.equal(calls.count, 0);
});

test('each call sees the current catalogue', () => {
  assert.deepEqual(translateAll(['k'], reader({ k: 'one' }).read), ['one']);
  assert.deepEqual(translateAll(['k'], reader({ k: 'two' }).read), ['two']);
});

test('a broken catalogue is a SyntaxError', () => {
  assert.throws(() => translateAll(['k'], () => '{nope'), SyntaxError);
});
