// Fast but wrong: de-duplicates the catalogue by SKU on the way (a Map keyed by SKU), so repeated items vanish.

export interface Product {
  sku: string;
  title: string;
}

export function visibleProducts(catalogue: Product[], archivedSkus: string[]): Product[] {
  const archived = new Set(archivedSkus);
  const bySku = new Map<string, Product>();
  for (const p of catalogue) if (!archived.has(p.sku) && !bySku.has(p.sku)) bySku.set(p.sku, p);
  return [...bySku.values()];
}
