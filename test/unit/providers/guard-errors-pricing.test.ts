// The egress guard (the one offline-only check), vendor error mapping, retry-after parsing and pricing lookups.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { costUsd, parsePricingTable, priceFor } from '../../../common/providers/pricing';
import { EgressGuard, isLoopbackHost, providerLeavesMachine } from '../../../main/services/providers/egress-guard';
import { parseRetryAfter, toProviderError } from '../../../main/services/providers/provider-errors';

describe('EgressGuard', () => {
  it('recognises loopback hosts only', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1', 'api.localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '192.168.1.2', 'api.openai.com', '[2001:db8::1]', 'localhost.evil.com', '127.0.0.1.nip.io'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('classifies providers: cloud kinds always leave, compatible endpoints by URL', () => {
    expect(providerLeavesMachine('local')).toBe(false);
    expect(providerLeavesMachine('openai', 'http://127.0.0.1:1')).toBe(true);
    expect(providerLeavesMachine('openai-compatible', 'http://127.0.0.1:11434/v1')).toBe(false);
    expect(providerLeavesMachine('openai-compatible', 'http://gpu-box.lan:8000/v1')).toBe(true);
  });

  it('in offline-only mode refuses cloud kinds and non-loopback URLs with FORBIDDEN, before any fetch', async () => {
    const policy = { offlineOnly: true };
    const g = new EgressGuard(() => policy);
    let innerCalls = 0;
    const inner = (async () => {
      innerCalls++;
      return new Response('{}');
    }) as typeof fetch;
    const cloudFetch = g.fetchFor('openai', 'openai', inner);
    await expect(cloudFetch('http://127.0.0.1:9/v1/models')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const compatFetch = g.fetchFor('ollama', 'openai-compatible', inner);
    await expect(compatFetch('http://203.0.113.7:11434/v1/models')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(innerCalls).toBe(0);
    await compatFetch('http://127.0.0.1:11434/v1/models');
    expect(innerCalls).toBe(1);
    expect(g.recentBlocked().map((b) => b.providerId)).toEqual(['openai', 'ollama']);
    expect(g.explain({ providerId: 'openai', kind: 'openai' })).toMatch(/Offline-only mode is on/);
    policy.offlineOnly = false;
    await cloudFetch('https://api.openai.com/v1/models');
    expect(innerCalls).toBe(2);
  });
});

describe('provider error mapping', () => {
  it('parses retry-after-ms, seconds and HTTP dates', () => {
    const h = (m: Record<string, string>) => (n: string) => m[n];
    expect(parseRetryAfter(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
  });

  it('maps status codes and vendor bodies to codes with retry hints', () => {
    const mk = (status: number, error: unknown, headers: Record<string, string> = {}) =>
      Object.assign(new Error('x'), { status, error, headers: new Headers(headers) });
    expect(
      toProviderError(mk(429, { error: { message: 'slow down', type: 'rate_limit_error' } }, { 'retry-after': '2' }), 'p'),
    ).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { retryable: true, retryAfterMs: 2000, vendorType: 'rate_limit_error' } });
    expect(toProviderError(mk(401, { error: { message: 'bad key' } }), 'p')).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { retryable: false },
    });
    expect(toProviderError(mk(503, { error: 'Model is overloaded', error_type: 'overloaded' }), 'p').message).toContain(
      'Model is overloaded',
    );
    expect(toProviderError(new SyntaxError('Unexpected end of JSON input'), 'p').code).toBe('CORRUPT');
    expect(toProviderError(Object.assign(new Error('aborted'), { name: 'AbortError' }), 'p').code).toBe('CANCELLED');
    const typed = new EvolveError('FORBIDDEN', 'no');
    expect(toProviderError(typed, 'p')).toBe(typed);
  });
});

describe('pricing table', () => {
  const table = parsePricingTable(JSON.parse(readFileSync(join(__dirname, '../../../resources/providers/pricing.json'), 'utf8')));
  it('looks up exact ids, then the longest prefix, then the kind default; local is free', () => {
    expect(priceFor(table, 'openai', 'gpt-4o-mini')).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(priceFor(table, 'anthropic', 'claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(priceFor(table, 'anthropic', 'claude-unknown')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(priceFor(table, 'local', 'anything')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(priceFor(table, 'nope', 'x')).toBeUndefined();
  });
  it('computes USD from tokens', () => {
    expect(costUsd({ inputPerMTok: 2, outputPerMTok: 8 }, 1_000_000, 500_000)).toBe(6);
    expect(costUsd(undefined, 10, 10)).toBe(0);
  });
  it('rejects a malformed table with INVALID_ARGUMENT', () => {
    expect(() => parsePricingTable({ version: 2 })).toThrow(/Pricing table is invalid/);
  });
});
