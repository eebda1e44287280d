// Malformed-payload generator for contract channels: random JSON-like values from fast-check plus
// targeted mutations of a valid input (missing/extra/wrong-typed fields, prototype keys, huge and deep
// values). Reusable by every domain's malformed-input test.
import fc from 'fast-check';

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'x'.repeat(70_000),
  '\u202e',
  '💥',
  '%00',
  'constructor',
];

function deepNest(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) v = { a: v };
  return v;
}

/** Values that are wrong for almost any schema, whatever its shape. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, NaN, Infinity, -0, true, 0, -1, 2 ** 53, [], [[]], '', new Date(0), deepNest(200)),
  fc.constantFrom(...NASTY_STRINGS),
  fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: false, withMap: false, withSet: false }),
);

/** Mutations of a valid object input: each is likely (not certain) to be invalid. */
function mutationsOf(valid: unknown): fc.Arbitrary<unknown> {
  if (typeof valid !== 'object' || valid === null || Array.isArray(valid)) return hostileValue;
  const obj = valid as Record<string, unknown>;
  const keys = Object.keys(obj);
  const withExtra = fc
    .record({ key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), value: hostileValue })
    .map(({ key, value }) => {
      const copy: Record<string, unknown> = { ...obj };
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    });
  const arbs: fc.Arbitrary<unknown>[] = [withExtra, hostileValue];
  if (keys.length > 0) {
    arbs.push(
      fc.record({ key: fc.constantFrom(...keys), value: hostileValue }).map(({ key, value }) => ({ ...obj, [key]: value })),
      fc.constantFrom(...keys).map((key) => {
        const copy = { ...obj };
        delete copy[key];
        return copy;
      }),
    );
  }
  return fc.oneof(...arbs);
}

/** `count` payloads for a channel whose valid sample is `valid`, deterministic for a given seed. */
export function malformedPayloads(valid: unknown, count: number, seed: number): unknown[] {
  return fc.sample(mutationsOf(valid), { numRuns: count, seed });
}

/** JSON round-trip as a transport would do it (undefined dropped, NaN → null, Dates → strings). */
export function throughJson(v: unknown): unknown {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}
