import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pruneExpired, type Session } from './module';

const s = (id: string, expiresAt: number): Session => ({ id, expiresAt });

test('removes expired sessions in place and keeps the order of the rest', () => {
  const sessions = [s('a', 5), s('b', 20), s('c', 10), s('d', 30), s('e', 1)];
  assert.equal(pruneExpired(sessions, 10), 3);
  assert.deepEqual(sessions, [s('b', 20), s('d', 30)]);
});

test('expiry exactly at now counts as expired', () => {
  const sessions = [s('a', 10)];
  assert.equal(pruneExpired(sessions, 10), 1);
  assert.deepEqual(sessions, []);
});

test('empty list', () => {
  const sessions: Session[] = [];
  assert.equal(pruneExpired(sessions, 0), 0);
  assert.deepEqual(sessions, []);
});

test('nothing expired leaves the same array contents', () => {
  const sessions = [s('ü', 2), s('b', 3)];
  assert.equal(pruneExpired(sessions, 1), 0);
  assert.deepEqual(sessions, [s('ü', 2), s('b', 3)]);
});

test('consecutive expired sessions are all removed', () => {
  const sessions = [s('a', 1), s('b', 1), s('c', 1), s('d', 9)];
  assert.equal(pruneExpired(sessions, 1), 3);
  assert.deepEqual(sessions, [s('d', 9)]);
});
