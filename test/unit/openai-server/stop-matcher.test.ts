// Server-side stop strings: nothing of a stop string reaches the client, however the text is split into tokens.
import { describe, expect, it } from 'vitest';
import { StopMatcher } from '../../../main/services/openai-server/stop-matcher';

function feed(stops: string[], pieces: string[]): { out: string; stopped: boolean } {
  const m = new StopMatcher(stops);
  let out = '';
  for (const p of pieces) out += m.push(p);
  out += m.flush();
  return { out, stopped: m.stopped };
}

describe('StopMatcher', () => {
  it('cuts at a stop split across pieces and drops everything after it', () => {
    expect(feed(['<|fim_pad|>'], ['a + b', '<|fim', '_pad|>', 'junk'])).toEqual({ out: 'a + b', stopped: true });
  });

  it('releases a held tail that did not become a stop', () => {
    const m = new StopMatcher(['\n\n']);
    expect(m.push('x = 1\n')).toBe('x = 1');
    expect(m.push('y')).toBe('\ny');
    expect(m.flush()).toBe('');
    expect(feed(['END'], ['abc', 'EN'])).toEqual({ out: 'abcEN', stopped: false });
  });

  it('picks the earliest of several stops and passes text through when there are none', () => {
    expect(feed(['b', 'cd'], ['xxcdb'])).toEqual({ out: 'xx', stopped: true });
    expect(feed([], ['a', 'b'])).toEqual({ out: 'ab', stopped: false });
  });
});
