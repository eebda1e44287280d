// Code-aware FTS terms: identifiers split on camelCase, acronyms, digits and snake_case; queries never break FTS5.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { codeQuery, codeTerms, identifierParts } from '../../../native/db/ops/index-terms';
import { base64ToInt8, cosineInt8, int8ToBase64, quantizeInt8 } from '../../../native/db/ops/index-vectors';

describe('code terms', () => {
  it('splits identifiers into their parts', () => {
    expect(identifierParts('parseQuaternion')).toEqual(['parse', 'quaternion']);
    expect(identifierParts('HTTPServerError')).toEqual(['http', 'server', 'error']);
    expect(identifierParts('parse_quaternion_v2')).toEqual(['parse', 'quaternion', 'v', '2']);
    expect(identifierParts('x')).toEqual([]);
  });

  it('indexes the whole identifier and its parts', () => {
    expect(codeTerms('const rawKey = getUserById(id_token);')).toBe('const rawkey raw key getuserbyid get user by id idtoken id token');
  });

  it('turns any text into a safe OR query without stop words, and refuses text with no word', () => {
    expect(codeQuery('how is the parseQuaternion "NEAR(')).toBe('"parsequaternion" OR "parse" OR "quaternion" OR "near"');
    expect(() => codeQuery('?? !!')).toThrow(EvolveError);
  });
});

describe('int8 vectors', () => {
  it('quantise with a per-vector scale and keep cosine within 1e-3', () => {
    const a = Array.from({ length: 384 }, (_, i) => Math.sin(i * 0.37) * 0.1);
    const b = Array.from({ length: 384 }, (_, i) => Math.cos(i * 0.11) * 0.05);
    const exact = a.reduce((s, x, i) => s + x * (b[i] as number), 0) / Math.hypot(...a) / Math.hypot(...b);
    const qa = quantizeInt8(a);
    expect(Math.max(...qa.map(Math.abs))).toBe(127);
    expect(Math.abs(cosineInt8(qa, quantizeInt8(b)) - exact)).toBeLessThan(1e-3);
    expect([...base64ToInt8(int8ToBase64(qa))]).toEqual([...qa]);
    expect([...quantizeInt8([0, 0])]).toEqual([0, 0]);
  });
});
