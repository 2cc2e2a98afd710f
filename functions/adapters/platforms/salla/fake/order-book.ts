// Local fake of Salla's merchant API: the orders behind the endpoints — seeded per store, shown in
// the shape of GET /orders/{id}, moved by POST /orders/{id}/status. No HTTP here.

export interface SallaSeedLine {
  productId: string;
  quantity: number;
  /** `product_sku_id`: the variant bought. */
  variantId?: string;
  /** Order item id; default a fresh number. */
  lineId?: string;
  sku?: string;
  name?: string;
  /** Product type; default `codes`. */
  type?: string;
  unitPrice?: number;
}

export interface SallaSeedOrder {
  /** Default a fresh number. */
  id?: string;
  /** Status slug. Default `in_progress`. */
  status?: string;
  /** Default `credit_card`. */
  paymentMethod?: string;
  isPendingPayment?: boolean;
  currency?: string;
  /** Default the sum of the lines. */
  total?: number;
  lines: SallaSeedLine[];
}

interface Status {
  id: number;
  name: string;
  slug: string;
  /** Set for a merchant's custom sub-status: the original it belongs to. */
  customized?: { id: number; name: string };
}

export interface FakeSallaOrder {
  storeId: string;
  id: string;
  referenceId: number;
  status: Status;
  paymentMethod: string;
  isPendingPayment: boolean;
  currency: string;
  total: number;
  lines: Array<Required<Omit<SallaSeedLine, 'variantId'>> & { variantId?: string }>;
  history: Array<{ at: string; status: string; note?: string }>;
}

/** Salla's original statuses (slugs from its List Order Statuses; ids are the fake's). */
const ORIGINAL_STATUSES: ReadonlyArray<[string, string]> = [
  ['payment_pending', 'بانتظار الدفع'],
  ['under_review', 'بإنتظار المراجعة'],
  ['in_progress', 'قيد التنفيذ'],
  ['completed', 'تم التنفيذ'],
  ['delivering', 'جاري التوصيل'],
  ['delivered', 'تم التوصيل'],
  ['shipped', 'تم الشحن'],
  ['canceled', 'ملغي'],
  ['restoring', 'قيد الاسترجاع'],
  ['restored', 'مسترجع'],
];

export class SallaOrderBook {
  private readonly orders = new Map<string, FakeSallaOrder>();
  private readonly statuses = new Map<number, Status>();
  private nextId = 1_000_000_001;
  private nextLine = 70_000_001;

  constructor(customStatuses: ReadonlyArray<{ id: number; name: string; parentSlug: string }> = []) {
    ORIGINAL_STATUSES.forEach(([slug, name], i) => this.statuses.set(566_146_400 + i, { id: 566_146_400 + i, name, slug }));
    for (const custom of customStatuses) {
      const parent = this.bySlug(custom.parentSlug);
      if (!parent) throw new Error(`custom status ${custom.id}: unknown parent slug ${custom.parentSlug}`);
      this.statuses.set(custom.id, { id: parent.id, name: parent.name, slug: parent.slug, customized: { id: custom.id, name: custom.name } });
    }
  }

  create(storeId: string, seed: SallaSeedOrder): FakeSallaOrder {
    const id = seed.id ?? String(this.nextId++);
    const status = this.bySlug(seed.status ?? 'in_progress');
    if (!status) throw new Error(`unknown Salla status slug ${seed.status}`);
    const lines = seed.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      ...(l.variantId ? { variantId: l.variantId } : {}),
      lineId: l.lineId ?? String(this.nextLine++),
      sku: l.sku ?? `SKU-${l.productId}`,
      name: l.name ?? `Product ${l.productId}`,
      type: l.type ?? 'codes',
      unitPrice: l.unitPrice ?? 50,
    }));
    const order: FakeSallaOrder = {
      storeId,
      id,
      referenceId: Number(id.replace(/\D/g, '').slice(-8)) || 1,
      status,
      paymentMethod: seed.paymentMethod ?? 'credit_card',
      isPendingPayment: seed.isPendingPayment ?? false,
      currency: seed.currency ?? 'SAR',
      total: seed.total ?? lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0),
      lines,
      history: [],
    };
    this.orders.set(key(storeId, id), order);
    return order;
  }

  find(storeId: string, id: string): FakeSallaOrder | undefined {
    return this.orders.get(key(storeId, id));
  }

  /** Applies `{ slug }` or `{ status_id }`; returns the field errors Salla would answer 422 with. */
  changeStatus(order: FakeSallaOrder, body: Record<string, unknown>, at: string): Record<string, string[]> | undefined {
    const slug = typeof body.slug === 'string' && body.slug.trim() ? body.slug.trim() : undefined;
    const statusId = body.status_id === undefined || body.status_id === null || body.status_id === '' ? undefined : Number(body.status_id);
    if (slug === undefined && statusId === undefined) {
      return { status_id: ['حقل الحالة مطلوب إذا لم يتوفّر رمز الحالة.'], slug: ['حقل رمز الحالة مطلوب إذا لم يتوفّر الحالة.'] };
    }
    const status = statusId !== undefined ? this.statuses.get(statusId) : this.bySlug(slug as string);
    if (!status) return statusId !== undefined ? { status_id: ['الحالة المحددة غير صالحة.'] } : { slug: ['رمز الحالة المحدد غير صالح.'] };
    order.status = status;
    const note = typeof body.note === 'string' && body.note ? body.note : undefined;
    order.history.push({ at, status: status.slug, ...(note ? { note } : {}) });
    return undefined;
  }

  /** The order as GET /orders/{id} answers it in `data`. */
  view(order: FakeSallaOrder): Record<string, unknown> {
    const money = (amount: number) => ({ amount, currency: order.currency });
    return {
      id: numeric(order.id),
      reference_id: order.referenceId,
      status: { id: order.status.id, name: order.status.name, slug: order.status.slug, customized: order.status.customized ?? { id: order.status.id, name: order.status.name } },
      payment_method: order.paymentMethod,
      is_pending_payment: order.isPendingPayment,
      currency: order.currency,
      amounts: { sub_total: money(order.total), shipping_cost: money(0), tax: { percent: '0.00', amount: money(0) }, total: money(order.total) },
      items: order.lines.map((l) => ({
        id: numeric(l.lineId),
        name: l.name,
        sku: l.sku,
        quantity: l.quantity,
        ...(l.variantId ? { product_sku_id: numeric(l.variantId) } : {}),
        amounts: { price_without_tax: money(l.unitPrice), total: money(l.unitPrice * l.quantity) },
        product: { id: numeric(l.productId), type: l.type, sku: l.sku, name: l.name },
      })),
      customer: { id: 225167971, first_name: 'Fake', last_name: 'Customer', mobile: 501806978, mobile_code: '+966', email: 'customer@example.com', country_code: 'SA' },
    };
  }

  private bySlug(slug: string): Status | undefined {
    for (const status of this.statuses.values()) if (status.slug === slug && !status.customized) return status;
    return undefined;
  }
}

const key = (storeId: string, id: string) => `${storeId}/${id}`;

/** Salla ids are JSON numbers; a non-numeric seed id stays a string. */
const numeric = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);
