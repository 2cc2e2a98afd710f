// Local fake of EZ PIN: the account behind the endpoints — catalog, balance, stock, orders and their
// cards, and the order rules (reference uniqueness, price, stock, balance). No HTTP here.
import { randomCard, randomUuid, type Random } from './random';

export interface FakePartialFulfilment {
  /** Accepted once the order has been read this many times before (order or cards): with 1, the first read is still pending. */
  afterReads?: number;
  /** Accepted this many ms after it was placed. */
  afterMs?: number;
  /** Once accepted, each read of the cards releases this many more (is_completed when all are out). Default: all at once. */
  cardsPerRead?: number;
}

export interface FakeProduct {
  title: string;
  price: number;
}

export interface LedgerRules {
  products: Record<string, FakeProduct>;
  /** Units left per sku; a product not listed is unlimited. */
  stock: Record<string, number>;
  partialFulfilment: FakePartialFulfilment | false;
  /** Skus whose orders end rejected (status -1): money and stock go back. */
  rejectProducts: readonly string[];
  /** Skus whose orders are refused with this EZ PIN code, before anything is charged. */
  errorCodes: Record<string, number>;
  /** Skus whose cards are only a claim link (no number, no PIN). */
  urlOnlyProducts: readonly string[];
}

export interface FakeCard {
  card_number: string;
  pin_code: string;
  claim_url: string;
}

export interface FakeOrder {
  orderId: number;
  referenceCode: string;
  sku: number;
  quantity: number;
  price: number;
  cost: number;
  status: -1 | 0 | 1;
  isCompleted: boolean;
  terminalId: number | null;
  deliveryType: number;
  destination: string;
  createdAt: number;
  reads: number;
  cards: FakeCard[];
  released: number;
}

export interface OrderInput {
  sku: number;
  quantity: number;
  price: number;
  referenceCode: string;
  terminalId: number | null;
  deliveryType: number;
  destination: string;
}

/** A refusal as EZ PIN words it: HTTP status, numeric `code` (absent where the docs give none), `detail`. */
export interface Refusal {
  status: number;
  code?: number;
  detail: string;
  /** The answer when it is not `{ code, detail }` (DRF field errors). */
  body?: Record<string, unknown>;
}

/** The fake's words for EZ PIN's codes (EZ PIN's own texts are not published). */
export const CODE_TEXT: Record<number, string> = {
  603: 'Service is temporarily unavailable. Please try again.',
  606: 'Request could not be processed right now. Please try again.',
  609: 'Provider timeout. Please try again.',
  610: 'Insufficient balance.',
  612: 'Price of this product has changed.',
  614: 'This catalog is not available.',
};

const round = (value: number) => Math.round(value * 100) / 100;

export class Ledger {
  readonly orders: FakeOrder[] = [];
  readonly ordersByReference: Record<string, number> = {};
  cardsIssued = 0;
  rejectedDuplicates = 0;
  private nextId = 1;
  private readonly issued = new Set<string>();

  constructor(
    public balance: number,
    public rules: LedgerRules,
    private readonly cardRandom: () => Random,
    private readonly claimBase: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies the order rules in the order a real API would, then commits (charges, reserves stock). */
  order(input: OrderInput): FakeOrder | Refusal {
    const sku = String(input.sku);
    if (this.find(input.referenceCode)) {
      this.rejectedDuplicates += 1;
      return { status: 400, detail: 'Order with this reference code already exists.' };
    }
    const forced = this.rules.errorCodes[sku];
    if (forced !== undefined) return { status: 400, code: forced, detail: CODE_TEXT[forced] ?? 'Some error happened.' };
    const refusal = this.check(sku, input.quantity, input.price);
    if (refusal) return refusal;
    const cost = round(input.price * input.quantity);
    if (cost > this.balance) return { status: 400, code: 610, detail: CODE_TEXT[610] };
    const left = this.rules.stock[sku];
    if (left !== undefined) this.rules.stock[sku] = left - input.quantity;
    this.balance = round(this.balance - cost);
    const order: FakeOrder = { orderId: this.nextId++, ...input, cost, status: 0, isCompleted: false, createdAt: this.now(), reads: 0, cards: [], released: 0 };
    this.orders.push(order);
    this.ordersByReference[input.referenceCode] = (this.ordersByReference[input.referenceCode] ?? 0) + 1;
    if (!this.rules.partialFulfilment) this.settle(order);
    return order;
  }

  /** Why `quantity` cards of `sku` at `price` cannot be sold now, or undefined if they can. */
  check(sku: string, quantity: number, price: number): Refusal | undefined {
    const product = this.rules.products[sku];
    if (!product) return { status: 400, code: 614, detail: CODE_TEXT[614] };
    if (Math.abs(product.price - price) > 1e-9) return { status: 400, code: 612, detail: CODE_TEXT[612] };
    const left = this.rules.stock[sku];
    if (left !== undefined && left < quantity) return { status: 400, code: 614, detail: CODE_TEXT[614] };
    return undefined;
  }

  /** One read by a client: counts towards `afterReads`, settles when due; a cards read releases cards. */
  read(order: FakeOrder, what: 'order' | 'cards'): FakeOrder {
    const partial = this.rules.partialFulfilment;
    if (order.status === 0) {
      // Switched off since the order was placed: it settles now.
      const byReads = !partial || (partial.afterReads !== undefined && order.reads >= partial.afterReads);
      const byTime = partial && partial.afterMs !== undefined && this.now() - order.createdAt >= partial.afterMs;
      if (byReads || byTime) this.settle(order);
    }
    if (what === 'cards' && order.status === 1 && order.released < order.cards.length) {
      const step = partial && partial.cardsPerRead ? partial.cardsPerRead : order.cards.length;
      order.released = Math.min(order.cards.length, order.released + step);
      order.isCompleted = order.released === order.cards.length;
    }
    order.reads += 1;
    return order;
  }

  find(referenceCode: string): FakeOrder | undefined {
    const wanted = referenceCode.toLowerCase();
    return this.orders.find((o) => o.referenceCode.toLowerCase() === wanted);
  }

  private settle(order: FakeOrder): void {
    const sku = String(order.sku);
    if (this.rules.rejectProducts.includes(sku)) {
      // Nothing delivered, nothing kept: the money and the stock go back.
      order.status = -1;
      order.isCompleted = true;
      this.balance = round(this.balance + order.cost);
      if (this.rules.stock[sku] !== undefined) this.rules.stock[sku] += order.quantity;
      return;
    }
    order.status = 1;
    const random = this.cardRandom();
    const urlOnly = this.rules.urlOnlyProducts.includes(sku);
    while (order.cards.length < order.quantity) {
      const { cardNumber, pinCode } = randomCard(random);
      if (this.issued.has(cardNumber)) continue;
      this.issued.add(cardNumber);
      const claim_url = `${this.claimBase()}/claim/${randomUuid(random)}`;
      order.cards.push(urlOnly ? { card_number: '', pin_code: '', claim_url } : { card_number: cardNumber, pin_code: pinCode, claim_url });
    }
    this.cardsIssued += order.quantity;
    const stepwise = this.rules.partialFulfilment && this.rules.partialFulfilment.cardsPerRead;
    if (!stepwise) {
      order.released = order.cards.length;
      order.isCompleted = true;
    }
  }
}
