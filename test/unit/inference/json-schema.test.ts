// Client JSON schemas → node-llama-cpp's grammar subset: annotations dropped, unenforceable constraints refused in
// strict mode (response_format) and dropped in loose mode (tool parameters), $refs inlined, anyOf/nullable mapped.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { toGbnfSchema } from '../../../native/inference/json-schema';

const strict = { strict: true, where: 'response_format.json_schema' };
const loose = { strict: false, where: 'tools[0].parameters' };

describe('toGbnfSchema', () => {
  it('keeps structure, drops annotations and inlines $refs', () => {
    const out = toGbnfSchema(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'T',
        type: 'object',
        properties: { a: { $ref: '#/$defs/A' }, b: { type: ['string', 'null'] }, c: { anyOf: [{ type: 'integer' }, { const: 'x' }] } },
        required: ['a'],
        additionalProperties: false,
        $defs: { A: { type: 'string', enum: ['x', 'y'], default: 'x' } },
      },
      strict,
    );
    expect(out).toEqual({
      type: 'object',
      properties: {
        a: { enum: ['x', 'y'] },
        b: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        c: { oneOf: [{ type: 'integer' }, { const: 'x' }] },
      },
      required: ['a'],
      additionalProperties: false,
    });
  });

  it('refuses what a grammar cannot enforce in strict mode, naming the parameter and the keyword', () => {
    for (const bad of [
      { type: 'string', pattern: '^a$' },
      { type: 'integer', minimum: 3 },
      { allOf: [{ type: 'string' }] },
      { type: 'string', format: 'email' },
    ]) {
      const e = (() => {
        try {
          toGbnfSchema(bad, strict);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(EvolveError);
      expect((e as EvolveError).code).toBe('INVALID_ARGUMENT');
      expect((e as EvolveError).message).toMatch(/^response_format\.json_schema: /);
    }
  });

  it('drops unenforceable constraints of tool parameters (a hint to the model, validated by the client)', () => {
    expect(toGbnfSchema({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } } }, loose)).toEqual({
      type: 'object',
      properties: { n: { type: 'integer' } },
      additionalProperties: false,
    });
  });

  it('rejects recursive and unresolvable refs and non-object schemas', () => {
    expect(() =>
      toGbnfSchema({ $ref: '#/$defs/N', $defs: { N: { type: 'object', properties: { next: { $ref: '#/$defs/N' } } } } }, loose),
    ).toThrow(/recursive/);
    expect(() => toGbnfSchema({ $ref: '#/$defs/missing' }, loose)).toThrow(/unresolvable/);
    expect(() => toGbnfSchema('string', loose)).toThrow(/must be an object/);
  });

  it('treats an object without properties as any object', () => {
    expect(toGbnfSchema({ type: 'object' }, loose)).toEqual({ type: 'object', properties: {}, additionalProperties: true });
  });
});
