// Builds the "recent orders" view: each order with its customer's name, loaded through the data repository.

export interface Customer {
  id: number;
  name: string;
}
export interface Order {
  id: number;
  customerId: number;
  cents: number;
}
/** The project's data access layer: get() is one query, getMany() one query for a batch of ids. */
export interface CustomerRepository {
  get(id: number): Customer | undefined;
  getMany(ids: number[]): Customer[];
}
export interface OrderRow {
  orderId: number;
  customer: string;
  total: string;
}

/** One row per order, in order; an order whose customer is gone shows 'unknown customer'. */
export function recentOrderRows(orders: Order[], customers: CustomerRepository): OrderRow[] {
  return orders.map((o) => ({
    orderId: o.id,
    customer: customers.get(o.customerId)?.name ?? 'unknown customer',
    total: (o.cents / 100).toFixed(2),
  }));
}
