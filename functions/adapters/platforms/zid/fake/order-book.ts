// Local fake of Zid's manager API: the orders behind the endpoints — seeded per store, shown in the
// shape of GET /managers/store/orders/{id}/view, moved by change-order-status. No HTTP here.

export interface ZidSeedLine {
  /** Product UUID. */
  productId: string;
  quantity: number;
  /** `order_product_id`; default a fresh number. */
  lineId?: string;
  sku?: string;
  name?: string;
  price?: number;
}

export interface ZidSeedOrder {
  /** Default a fresh number. */
  id?: string;
  /** paid, pending, unpaid, refunded, voided. Default `paid`. */
  paymentStatus?: string;
  /** Order status code. Default `new`. */
  status?: string;
  /** Payment method code. Default `zid_cod` when unpaid, else `credit_card`. */
  paymentMethod?: string;
  currency?: string;
  /** Default the sum of the lines. */
  total?: number;
  lines: ZidSeedLine[];
}

export interface FakeZidOrder {
  storeId: string;
  id: string;
  code: string;
  status: string;
  paymentStatus: string;
  paymentMethod: string;
  currency: string;
  total: number;
  lines: Array<Required<ZidSeedLine>>;
  tracking: { number?: string; url?: string };
  updatedAt: string;
}

/** Zid's order status codes and their English names; other (custom) codes are accepted as they are. */
const STATUS_NAMES: Readonly<Record<string, string>> = {
  new: 'New',
  preparing: 'Preparing',
  ready: 'Ready',
  indelivery: 'In Delivery',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export class ZidOrderBook {
  private readonly orders = new Map<string, FakeZidOrder>();
  private nextId = 41_300_001;
  private nextLine = 62_300_001;

  create(storeId: string, seed: ZidSeedOrder, nowIso: string): FakeZidOrder {
    const id = seed.id ?? String(this.nextId++);
    const paymentStatus = seed.paymentStatus ?? 'paid';
    const lines = seed.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      lineId: l.lineId ?? String(this.nextLine++),
      sku: l.sku ?? `Z.${l.productId.slice(0, 8)}`,
      name: l.name ?? `Product ${l.productId.slice(0, 8)}`,
      price: l.price ?? 100,
    }));
    const order: FakeZidOrder = {
      storeId,
      id,
      code: Buffer.from(`${storeId}:${id}`).toString('base64url').slice(0, 10),
      status: seed.status ?? 'new',
      paymentStatus,
      paymentMethod: seed.paymentMethod ?? (paymentStatus === 'paid' ? 'credit_card' : 'zid_cod'),
      currency: seed.currency ?? 'SAR',
      total: seed.total ?? lines.reduce((sum, l) => sum + l.price * l.quantity, 0),
      lines,
      tracking: {},
      updatedAt: nowIso,
    };
    this.orders.set(key(storeId, id), order);
    return order;
  }

  find(storeId: string, id: string): FakeZidOrder | undefined {
    return this.orders.get(key(storeId, id));
  }

  /** Applies the form fields; returns the validation message Zid would answer 422 with. */
  changeStatus(order: FakeZidOrder, fields: Record<string, unknown>, nowIso: string): string | undefined {
    const status = typeof fields.order_status === 'string' ? fields.order_status.trim().toLowerCase() : '';
    if (!status) return 'The order status field is required.';
    if (!/^[a-z0-9_-]{1,64}$/.test(status)) return 'The selected order status is invalid.';
    order.status = status;
    if (typeof fields.tracking_number === 'string' && fields.tracking_number) order.tracking.number = fields.tracking_number;
    if (typeof fields.tracking_url === 'string' && fields.tracking_url) order.tracking.url = fields.tracking_url;
    order.updatedAt = nowIso;
    return undefined;
  }

  /** The order object of the view answer (zidsa/sdk-python order_detail fixture, trimmed). */
  view(order: FakeZidOrder): Record<string, unknown> {
    const name = STATUS_NAMES[order.status] ?? order.status;
    return {
      id: /^\d{1,15}$/.test(order.id) ? Number(order.id) : order.id,
      code: order.code,
      store_id: /^\d{1,15}$/.test(order.storeId) ? Number(order.storeId) : order.storeId,
      order_status: { name, code: order.status },
      display_status: { code: order.status, name },
      currency_code: order.currency,
      customer: { id: 257, name: 'Fake Customer', email: 'customer@example.com', mobile: '966500000005', type: 'individual' },
      order_total: order.total.toFixed(14),
      order_total_string: `${order.total.toFixed(2)} ${order.currency}`,
      payment_status: order.paymentStatus,
      requires_shipping: false,
      shipping: { method: { tracking: { number: order.tracking.number ?? null, status: null, url: order.tracking.url ?? null } } },
      payment: { method: { name: order.paymentMethod, code: order.paymentMethod, type: order.paymentMethod } },
      products: order.lines.map((l) => ({
        id: l.productId,
        order_product_id: Number(l.lineId),
        parent_id: null,
        name: l.name,
        sku: l.sku,
        quantity: l.quantity,
        price: l.price,
        total: l.price * l.quantity,
      })),
      language: 'ar',
      updated_at: order.updatedAt.replace('T', ' ').slice(0, 19),
    };
  }
}

const key = (storeId: string, id: string) => `${storeId}/${id}`;
