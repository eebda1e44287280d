// Reference: a Set of archived SKUs makes each membership test O(1) instead of a scan of the archive list.

export interface Product {
  sku: string;
  title: string;
}

export function visibleProducts(catalogue: Product[], archivedSkus: string[]): Product[] {
  const archived = new Set(archivedSkus);
  return catalogue.filter((p) => !archived.has(p.sku));
}
