// The Electron main process's decisions that need no Electron: which IPC senders are trusted and
// whether a saved window position is still visible.
import { describe, expect, it } from 'vitest';
import { visibleOnSomeDisplay } from '../../../main/electron/display-geometry';
import { isTrustedSender, type FrameLike } from '../../../main/electron/sender-check';

const ORIGIN = 'evolve://app';
const top: FrameLike = { processId: 4, routingId: 1, url: 'evolve://app/index.html', parent: null };

describe('isTrustedSender', () => {
  it('trusts only our own top frame on our own origin', () => {
    expect(isTrustedSender(top, [top], ORIGIN)).toBe(true);
    expect(isTrustedSender({ ...top }, [top], ORIGIN)).toBe(true);
  });

  it('refuses subframes, other windows, other origins and missing frames', () => {
    expect(isTrustedSender({ ...top, parent: top }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, routingId: 2 }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, processId: 5 }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, url: 'https://evil.example/' }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, url: 'file:///etc/passwd' }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, url: 'not a url' }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, url: 'evolve://app.evil/index.html' }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender({ ...top, url: 'other://app/index.html' }, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender(null, [top], ORIGIN)).toBe(false);
    expect(isTrustedSender(top, [], ORIGIN)).toBe(false);
  });
});

describe('visibleOnSomeDisplay', () => {
  const displays = [
    { x: 0, y: 0, width: 1920, height: 1080 },
    { x: 1920, y: 0, width: 1280, height: 1024 },
  ];
  it('keeps positions that are on a display, including the second one', () => {
    expect(visibleOnSomeDisplay({ x: 100, y: 100, width: 800, height: 600 }, displays)).toBe(true);
    expect(visibleOnSomeDisplay({ x: 2000, y: 50, width: 800, height: 600 }, displays)).toBe(true);
  });
  it('drops positions on a display that was unplugged or off-screen', () => {
    expect(visibleOnSomeDisplay({ x: 3500, y: 100, width: 800, height: 600 }, displays)).toBe(false);
    expect(visibleOnSomeDisplay({ x: 100, y: -500, width: 800, height: 400 }, displays)).toBe(false);
    expect(visibleOnSomeDisplay({ x: -790, y: 100, width: 800, height: 600 }, displays)).toBe(false);
  });
});
