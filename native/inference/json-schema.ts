// Translates a client's JSON schema (OpenAI tools / response_format) into the subset node-llama-cpp can turn into
// a grammar. Annotations are dropped; constraints a grammar cannot enforce are rejected (strict) or dropped (loose).
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';

/** Pure annotations: they never change which values are valid. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  '$schema',
  '$id',
  '$comment',
  'readOnly',
  'writeOnly',
  'deprecated',
  'strict',
]);
/** Constraints the grammar cannot enforce: output could violate them, so strict mode refuses them. */
const UNENFORCEABLE = new Set([
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'uniqueItems',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'contains',
]);
const HANDLED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  'minLength',
  'maxLength',
  'format',
  '$ref',
  '$defs',
  'definitions',
  'nullable',
]);
const STRING_FORMATS = new Set(['date-time', 'time', 'date']);

export interface SchemaMode {
  /** true for response_format (the output must match exactly); false for tool parameters (a hint to the model). */
  strict: boolean;
  /** Names the client-facing parameter in errors, e.g. "response_format.json_schema" or "tools[2].parameters". */
  where: string;
}

type Json = Record<string, unknown>;

export function toGbnfSchema(schema: unknown, mode: SchemaMode): GbnfJsonSchema {
  const root = asObject(schema, mode.where, mode);
  const defs = { ...asDefs(root.definitions, mode), ...asDefs(root.$defs, mode) };
  const out = convert(root, mode, mode.where, defs, new Set());
  return out as GbnfJsonSchema;
}

function fail(mode: SchemaMode, path: string, msg: string): never {
  throw new EvolveError('INVALID_ARGUMENT', `${mode.where}: ${msg} at ${path}`, { parameter: mode.where, path });
}

function asObject(v: unknown, path: string, mode: SchemaMode): Json {
  if (v === true || v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(mode, path, 'a schema must be an object');
  return v as Json;
}

function asDefs(v: unknown, mode: SchemaMode): Record<string, Json> {
  if (v === undefined) return {};
  const o = asObject(v, 'definitions', mode);
  return Object.fromEntries(Object.entries(o).map(([k, d]) => [k, asObject(d, `#/$defs/${k}`, mode)]));
}

/** Inlines $refs (node-llama-cpp's $defs must sit on the schema that uses them; inlining is simpler). */
function convert(s: Json, mode: SchemaMode, path: string, defs: Record<string, Json>, refStack: Set<string>): Json {
  for (const k of Object.keys(s)) {
    if (ANNOTATIONS.has(k) || HANDLED.has(k)) continue;
    if (UNENFORCEABLE.has(k)) {
      if (mode.strict) fail(mode, path, `"${k}" cannot be enforced by a grammar`);
      continue;
    }
    if (mode.strict) fail(mode, path, `unsupported keyword "${k}"`);
  }
  const desc = typeof s.description === 'string' ? { description: s.description } : {};
  if (typeof s.$ref === 'string') {
    const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(s.$ref);
    const target = m?.[1] !== undefined ? defs[m[1]] : undefined;
    if (!target) fail(mode, path, `unresolvable $ref ${s.$ref}`);
    if (refStack.has(s.$ref)) fail(mode, path, `recursive $ref ${s.$ref} is not supported`);
    return convert(target, mode, s.$ref, defs, new Set([...refStack, s.$ref]));
  }
  if ('const' in s) return { const: scalar(s.const, mode, path), ...desc };
  if (Array.isArray(s.enum)) return { enum: s.enum.map((v) => scalar(v, mode, path)), ...desc };
  const alts = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (alts) return { oneOf: alts.map((a, i) => convert(asObject(a, path, mode), mode, `${path}.oneOf[${i}]`, defs, refStack)), ...desc };

  let type = s.type;
  if (type === undefined) {
    if (s.properties !== undefined) type = 'object';
    else if (s.items !== undefined) type = 'array';
    else return anyJson(desc);
  }
  const types = Array.isArray(type) ? type : [type];
  if (s.nullable === true && !types.includes('null')) types.push('null');
  if (types.length > 1)
    return {
      oneOf: types.map((t, i) => convert({ ...s, type: t, nullable: undefined }, mode, `${path}.type[${i}]`, defs, refStack)),
      ...desc,
    };
  const t = types[0];
  if (t === 'object') {
    const props = s.properties === undefined ? {} : asObject(s.properties, path, mode);
    const properties = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, convert(asObject(v, `${path}.${k}`, mode), mode, `${path}.${k}`, defs, refStack)]),
    );
    const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : undefined;
    const ap = s.additionalProperties;
    // JSON-schema default: additional properties allowed; with no properties at all, that means "any object".
    const additionalProperties =
      ap === false
        ? false
        : typeof ap === 'object' && ap !== null
          ? convert(ap as Json, mode, `${path}.*`, defs, refStack)
          : Object.keys(properties).length === 0;
    return {
      type: 'object',
      properties,
      ...(required ? { required } : {}),
      additionalProperties,
      ...num('minProperties', s),
      ...num('maxProperties', s),
      ...desc,
    };
  }
  if (t === 'array') {
    const items = s.items === undefined ? undefined : convert(asObject(s.items, path, mode), mode, `${path}[]`, defs, refStack);
    const prefixItems = Array.isArray(s.prefixItems)
      ? s.prefixItems.map((p, i) => convert(asObject(p, path, mode), mode, `${path}[${i}]`, defs, refStack))
      : undefined;
    return {
      type: 'array',
      ...(items ? { items } : {}),
      ...(prefixItems ? { prefixItems } : {}),
      ...num('minItems', s),
      ...num('maxItems', s),
      ...desc,
    };
  }
  if (t === 'string') {
    if (typeof s.format === 'string' && STRING_FORMATS.has(s.format)) return { type: 'string', format: s.format, ...desc };
    if (typeof s.format === 'string' && mode.strict) fail(mode, path, `string format "${s.format}" cannot be enforced by a grammar`);
    return { type: 'string', ...num('minLength', s), ...num('maxLength', s), ...desc };
  }
  if (t === 'number' || t === 'integer' || t === 'boolean' || t === 'null') return { type: t, ...desc };
  return fail(mode, path, `unknown type ${JSON.stringify(t)}`);
}

function anyJson(desc: Json): Json {
  return {
    oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }],
    ...desc,
  };
}

function scalar(v: unknown, mode: SchemaMode, path: string): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return fail(mode, path, 'enum/const values must be strings, numbers, booleans or null');
}

function num(key: string, s: Json): Json {
  const v = s[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? { [key]: v } : {};
}
