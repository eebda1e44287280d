// Unit tests for the DB worker's request union: every method has params/result schemas, bad input is refused, keys are strict.
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../../common/store/audit';
import { RawKeySchema, STORE_METHODS, StoreRequestSchema, StoreRequests } from '../../../common/store/requests';
import { ProviderConfigSchema } from '../../../common/store/rows';

describe('store request union', () => {
  it('covers every method with a params and a result schema that refuse garbage', () => {
    expect(STORE_METHODS.length).toBeGreaterThan(30);
    for (const m of STORE_METHODS) {
      expect(StoreRequests[m].params.safeParse(42).success, m).toBe(false);
      expect(StoreRequests[m].result.safeParse(Symbol('x')).success, m).toBe(false);
    }
  });

  it('parses a request through the union and refuses an unknown method or wrong params', () => {
    expect(StoreRequestSchema.parse({ method: 'search', params: { query: 'tokenizer' } })).toMatchObject({
      method: 'search',
      params: { query: 'tokenizer', limit: 100 },
    });
    expect(StoreRequestSchema.safeParse({ method: 'drop.everything', params: {} }).success).toBe(false);
    expect(StoreRequestSchema.safeParse({ method: 'search', params: { query: '' } }).success).toBe(false);
  });

  it('accepts only 256-bit lowercase hex keys, and its error does not contain the value', () => {
    expect(RawKeySchema.safeParse('ab'.repeat(32)).success).toBe(true);
    for (const bad of ['AB'.repeat(32), 'ab'.repeat(31), `x'${'ab'.repeat(32)}'`, '']) {
      const r = RawKeySchema.safeParse(bad);
      expect(r.success).toBe(false);
      if (bad) expect(JSON.stringify(r.error?.issues)).not.toContain(bad);
    }
  });

  it('refuses secrets in provider options at any depth', () => {
    const base = { id: 'p', kind: 'openai', name: 'OpenAI', baseUrl: null, defaultModel: null, enabled: true, updatedAt: 1 };
    expect(ProviderConfigSchema.safeParse({ ...base, options: { temperature: 0.2, keychainAccount: 'openai' } }).success).toBe(true);
    expect(ProviderConfigSchema.safeParse({ ...base, options: { headers: { Authorization: 'Bearer x' } } }).success).toBe(false);
    expect(ProviderConfigSchema.safeParse({ ...base, options: { api_key: 'sk' } }).success).toBe(false);
  });

  it('knows every audit event kind the issue asks for', () => {
    expect(AUDIT_KINDS).toEqual(
      expect.arrayContaining([
        'key.access',
        'unlock',
        'provider.send',
        'file.applied',
        'cluster.submit',
        'cluster.stop',
        'settings.change',
      ]),
    );
    const send = StoreRequests['audit.append'].params;
    expect(
      send.safeParse({
        kind: 'provider.send',
        data: { provider: 'p', model: 'm', payloadBytes: 1, payloadSha256: 'a'.repeat(64), redactions: {} },
      }).success,
    ).toBe(true);
    expect(
      send.safeParse({ kind: 'provider.send', data: { provider: 'p', model: 'm', payloadBytes: -1, payloadSha256: 'x', redactions: {} } })
        .success,
    ).toBe(false);
  });
});
