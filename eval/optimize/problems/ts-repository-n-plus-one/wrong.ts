// Fast but wrong: batches the lookup but skips orders whose customer is missing instead of labelling them.

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
  const byId = new Map(customers.getMany([...new Set(orders.map((o) => o.customerId))]).map((c) => [c.id, c]));
  return orders
    .filter((o) => byId.has(o.customerId))
    .map((o) => ({ orderId: o.id, customer: byId.get(o.customerId)!.name, total: (o.cents / 100).toFixed(2) }));
}
