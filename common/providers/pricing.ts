// Pricing table schema and the pure cost arithmetic (USD per million tokens, per provider kind and model).
import { z } from 'zod';
import { EvolveError } from '../errors';

export const ModelPriceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const PricingTableSchema = z.object({
  version: z.literal(1),
  currency: z.literal('USD'),
  updated: z.string(),
  /** provider kind → model id (or prefix ending in "*") → price. */
  providers: z.record(z.string(), z.record(z.string(), ModelPriceSchema)),
});
export type PricingTable = z.infer<typeof PricingTableSchema>;

export function parsePricingTable(raw: unknown): PricingTable {
  const parsed = PricingTableSchema.safeParse(raw);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Pricing table is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** Exact id first, then the longest matching "prefix*" entry, then the kind's "*" default; local models are free. */
export function priceFor(table: PricingTable, providerKind: string, model: string): ModelPrice | undefined {
  if (providerKind === 'local') return { inputPerMTok: 0, outputPerMTok: 0 };
  const models = table.providers[providerKind];
  if (!models) return undefined;
  const exact = models[model];
  if (exact) return exact;
  let best: { len: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(models)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (model.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, price };
  }
  return best?.price;
}

export function costUsd(price: ModelPrice | undefined, promptTokens: number, completionTokens: number): number {
  if (!price) return 0;
  return (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
}
