// Correct but slower: normalises the whole archive list again for every product before scanning it.

export interface Product {
  sku: string;
  title: string;
}

export function visibleProducts(catalogue: Product[], archivedSkus: string[]): Product[] {
  return catalogue.filter((p) => !archivedSkus.map((s) => `${s}`).includes(p.sku));
}
