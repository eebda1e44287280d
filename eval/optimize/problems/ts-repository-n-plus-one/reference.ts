// Reference: one getMany() for the distinct customer ids, then lookups in a Map (1 query instead of N).

export interface Customer {
  id: number;
  name: string;
}
export interface Order {
  id: number;
  customerId: number;
  cents: number;
}
export interface CustomerRepository {
  get(id: number): Customer | undefined;
  getMany(ids: number[]): Customer[];
}
export interface OrderRow {
  orderId: number;
  customer: string;
  total: string;
}

export function recentOrderRows(orders: Order[], customers: CustomerRepository): OrderRow[] {
  if (orders.length === 0) return [];
  const byId = new Map(customers.getMany([...new Set(orders.map((o) => o.customerId))]).map((c) => [c.id, c]));
  return orders.map((o) => ({
    orderId: o.id,
    customer: byId.get(o.customerId)?.name ?? 'unknown customer',
    total: (o.cents / 100).toFixed(2),
  }));
}
