// Filters the product catalogue down to the items a user has not archived, for the shop's listing page.

export interface Product {
  sku: string;
  title: string;
}

/**
 * Products whose SKU is not in `archivedSkus`, in catalogue order (duplicates in the catalogue are kept).
 * @example visibleProducts([{ sku: 'a', title: 'A' }, { sku: 'b', title: 'B' }], ['b']) // => [{ sku: 'a', title: 'A' }]
 */
export function visibleProducts(catalogue: Product[], archivedSkus: string[]): Product[] {
  return catalogue.filter((p) => !archivedSkus.includes(p.sku));
}
