// Unit: thread-count choice and cache, and chat-message → chat-history conversion.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { toChatHistory } from '../../../native/inference/prompt';
import { candidateThreads, chooseThreads, machineKey, readCachedProbe, writeCachedProbe } from '../../../native/inference/threads';
import { tempDir } from '../../support/temp-tree';

describe('thread choice', () => {
  it('candidates are powers of two up to the core count, plus the core count', () => {
    expect(candidateThreads(1)).toEqual([1]);
    expect(candidateThreads(2)).toEqual([1, 2]);
    expect(candidateThreads(6)).toEqual([1, 2, 4, 6]);
  });

  it('picks the fastest chat turn, not the fastest prompt', () => {
    // Measured on this 2-core machine under load: 2 threads were ~5x slower at generation.
    expect(
      chooseThreads([
        { threads: 1, promptTps: 440, genTps: 50 },
        { threads: 2, promptTps: 70, genTps: 7 },
      ]),
    ).toBe(1);
    // More threads that double prompt speed and barely slow generation win.
    expect(
      chooseThreads([
        { threads: 1, promptTps: 100, genTps: 40 },
        { threads: 4, promptTps: 400, genTps: 38 },
      ]),
    ).toBe(4);
  });

  it('caches the probe per machine key and ignores other keys or damaged files', async () => {
    const { dir, cleanup } = tempDir('probe-');
    onTestFinished(cleanup); // removed whether the test passes or fails
    const file = join(dir, 'sub', 'probe.json');
    const key = machineKey('cpu', 'b1');
    expect(key).not.toBe(machineKey('cuda', 'b1'));
    await writeCachedProbe(file, { key, results: [{ threads: 1, promptTps: 1, genTps: 1 }], chosen: 1, measuredAt: 'now' });
    expect((await readCachedProbe(file, key))?.chosen).toBe(1);
    expect(await readCachedProbe(file, 'other')).toBeUndefined();
    writeFileSync(file, '{broken');
    expect(await readCachedProbe(file, key)).toBeUndefined();
  });
});

describe('toChatHistory', () => {
  it('maps roles and appends the empty model turn to complete', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 's' },
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' },
      ]),
    ).toEqual([
      { type: 'system', text: 's' },
      { type: 'user', text: 'u1' },
      { type: 'model', response: ['a1'] },
      { type: 'user', text: 'u2' },
      { type: 'model', response: [] },
    ]);
  });

  it('INVALID_ARGUMENT unless the last message is the user’s', () => {
    expect(() => toChatHistory([{ role: 'assistant', content: 'a' }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => toChatHistory([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
