// Unit: thread-count choice and cache, and chat-message → chat-history conversion.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { toChatHistory } from '../../../native/inference/prompt';
import {
  bestOfPasses,
  candidateThreads,
  chooseThreads,
  machineKey,
  probeIsProvisional,
  readCachedProbe,
  writeCachedProbe,
  type ThreadProbeResult,
} from '../../../native/inference/threads';
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

  it('keeps each thread count at its best pass, so one disturbed measurement does not pick the count', () => {
    // Pass 1: another job ran while 2 threads were measured (the cached 01:56 probe's figures).
    const best = bestOfPasses([
      [
        { threads: 1, promptTps: 69, genTps: 20.8 },
        { threads: 2, promptTps: 27.8, genTps: 4.7 },
      ],
      [
        { threads: 1, promptTps: 66, genTps: 21.5 },
        { threads: 2, promptTps: 120, genTps: 31 },
      ],
    ]);
    expect(best).toEqual([
      { threads: 1, promptTps: 69, genTps: 21.5 },
      { threads: 2, promptTps: 120, genTps: 31 },
    ]);
    expect(chooseThreads(best)).toBe(2);
  });

  it('measures again when a probe cached on a busy machine (or of unknown load) meets a quiet one', () => {
    const probe = (loadPerCore?: number): ThreadProbeResult => ({
      key: 'k',
      results: [{ threads: 1, promptTps: 1, genTps: 1 }],
      chosen: 1,
      measuredAt: 'then',
      ...(loadPerCore === undefined ? {} : { loadPerCore }),
    });
    expect(probeIsProvisional(probe(2.5), 0.1)).toBe(true); // busy then, quiet now
    expect(probeIsProvisional(probe(), 0.1)).toBe(true); // cached before the load was recorded
    expect(probeIsProvisional(probe(2.5), 1.5)).toBe(false); // still busy: a new probe would be no better
    expect(probeIsProvisional(probe(0.2), 0.1)).toBe(false); // taken quiet: final
    expect(probeIsProvisional(probe(), 0.9)).toBe(false);
  });

  it('caches the probe per machine key and ignores other keys or damaged files', async () => {
    const { dir, cleanup } = tempDir('probe-');
    onTestFinished(cleanup); // removed whether the test passes or fails
    const file = join(dir, 'sub', 'probe.json');
    const key = machineKey('cpu', 'b1');
    expect(key).not.toBe(machineKey('cuda', 'b1'));
    await writeCachedProbe(file, {
      key,
      results: [{ threads: 1, promptTps: 1, genTps: 1 }],
      chosen: 1,
      measuredAt: 'now',
      loadPerCore: 0.3,
    });
    expect(await readCachedProbe(file, key)).toMatchObject({ chosen: 1, loadPerCore: 0.3 });
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
