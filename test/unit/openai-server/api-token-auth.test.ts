// The pure parts of the local server's token auth: token format and hashing, constant-time lookup, header parsing,
// the route → scope table, the per-token rate limiter and the audit throttle.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditThrottle } from '../../../main/services/openai-server/auth/audit-throttle';
import { SingleTokenAuthorizer } from '../../../main/services/openai-server/auth/authorizer';
import { RateLimiter } from '../../../main/services/openai-server/auth/rate-limit';
import { routeScope } from '../../../main/services/openai-server/auth/route-scopes';
import {
  findByHash,
  generateApiToken,
  hashApiToken,
  isApiTokenShape,
  prefixHintOf,
  presentedToken,
  safeEqual,
} from '../../../main/services/openai-server/auth/token-format';

describe('token format', () => {
  it('makes evst_ + 32 random bytes (base64url), distinct each time, and recognises the shape', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a).toMatch(/^evst_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(5), 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(isApiTokenShape(a)).toBe(true);
    expect(isApiTokenShape(`${a}x`)).toBe(false);
    expect(isApiTokenShape(a.replace('evst_', 'evsx_'))).toBe(false);
    expect(isApiTokenShape('evolve-local-abc')).toBe(false);
    expect(prefixHintOf(a)).toBe(a.slice(0, 11));
  });

  it('hashes with SHA-256 hex and finds a hash among many, only an exact one', () => {
    const t = generateApiToken();
    expect(hashApiToken(t)).toBe(createHash('sha256').update(t).digest('hex'));
    const hashes = [generateApiToken(), t, generateApiToken()].map(hashApiToken);
    expect(findByHash(hashApiToken(t), hashes)).toBe(1);
    expect(findByHash(hashApiToken(`${t.slice(0, -1)}A`), hashes)).toBe(t.endsWith('A') ? 1 : -1);
    expect(findByHash(hashApiToken('nope'), hashes)).toBe(-1);
    expect(findByHash(hashApiToken(t), [])).toBe(-1);
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('reads Bearer (any case) or x-api-key; blank is none', () => {
    expect(presentedToken({ authorization: 'Bearer evst_x' })).toBe('evst_x');
    expect(presentedToken({ authorization: 'bearer  evst_x ' })).toBe('evst_x');
    expect(presentedToken({ authorization: 'Bearer ' })).toBeNull();
    expect(presentedToken({ 'x-api-key': 'k1' })).toBe('k1');
    expect(presentedToken({ authorization: 'Basic abc' })).toBeNull();
    expect(presentedToken({})).toBeNull();
  });

  it('the single-token authoriser accepts only its token', () => {
    const a = new SingleTokenAuthorizer('evolve-local-0123456789abcdef');
    const req = { method: 'GET', route: '/v1/models', scope: 'models' as const, remote: '127.0.0.1' };
    expect(a.authorize({ ...req, presented: 'evolve-local-0123456789abcdef' })).toMatchObject({ ok: true });
    expect(a.authorize({ ...req, presented: 'evolve-local-0123456789abcdeF' })).toMatchObject({
      ok: false,
      status: 401,
      reason: 'unknown',
    });
    expect(a.authorize({ ...req, presented: null })).toMatchObject({ ok: false, status: 401, reason: 'missing' });
  });
});

describe('route scopes', () => {
  it('maps each route family to its scope and unknown routes to none', () => {
    expect(routeScope('POST', '/v1/chat/completions')).toBe('chat');
    expect(routeScope('POST', '/api/chat')).toBe('chat');
    expect(routeScope('POST', '/v1/completions')).toBe('completions');
    expect(routeScope('POST', '/infill')).toBe('completions');
    expect(routeScope('POST', '/api/generate')).toBe('completions');
    expect(routeScope('POST', '/v1/embeddings')).toBe('embeddings');
    expect(routeScope('GET', '/v1/models/qwen')).toBe('models');
    expect(routeScope('POST', '/api/show')).toBe('models');
    expect(routeScope('GET', '/v1/chat/completions')).toBeNull();
    expect(routeScope('DELETE', '/v1/models')).toBeNull();
    expect(routeScope('POST', '/v1/unknown')).toBeNull();
  });
});

describe('RateLimiter', () => {
  it('allows a minute of burst, refuses with the seconds to wait, refills at the steady rate, per key', () => {
    let t = 0;
    const r = new RateLimiter(() => t);
    expect([1, 2, 3].map(() => r.take('a', 3).ok)).toEqual([true, true, true]);
    expect(r.take('a', 3)).toEqual({ ok: false, retryAfterSec: 20 });
    expect(r.take('b', 3).ok).toBe(true);
    t += 10_000;
    expect(r.take('a', 3)).toEqual({ ok: false, retryAfterSec: 10 });
    t += 10_000;
    expect(r.take('a', 3)).toEqual({ ok: true, remaining: 0 });
    // A new limit starts a full bucket of the new size.
    expect(r.take('a', 5)).toEqual({ ok: true, remaining: 4 });
    r.forget('a');
    expect(r.take('a', 3)).toEqual({ ok: true, remaining: 2 });
  });
});

describe('AuditThrottle', () => {
  it('writes the first of a kind per window, folds repeats into the next row, and caps rows per window', () => {
    let t = 0;
    const th = new AuditThrottle({ now: () => t, windowMs: 1000, maxRowsPerWindow: 2 });
    expect(th.check('a')).toEqual({ record: true, suppressed: 0 });
    expect(th.check('a')).toEqual({ record: false, suppressed: 0 });
    expect(th.check('a')).toEqual({ record: false, suppressed: 0 });
    expect(th.check('b')).toEqual({ record: true, suppressed: 0 });
    expect(th.check('c')).toEqual({ record: false, suppressed: 0 }); // over the cap: counted
    t += 1000;
    expect(th.check('a')).toEqual({ record: true, suppressed: 3 }); // 2 folded + 1 over the cap
    expect(th.check('c')).toEqual({ record: true, suppressed: 0 });
  });
});
