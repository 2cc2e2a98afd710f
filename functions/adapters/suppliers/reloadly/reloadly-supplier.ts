// Secondary adapter: the Supplier port over Reloadly Gift Cards. The restock core calls it with a
// reorder id; every sub-order is looked up by its customIdentifier before anything is bought, except
// on a reorder's first attempt, when nothing can be there yet.
import { SupplierError } from '#core/errors';
import { mapLimited } from '#core/map-limited';
import type { CodeMaterial } from '#core/model';
import type { Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';
import { placeSubOrders, subOrderWidth } from '../sub-orders';
import { isDuplicateIdentifier, outcomeUnknown, ReloadlyCallError, toSupplierError } from './reloadly-errors';
import { ReloadlyHttp } from './reloadly-http';
import {
  classifyStatus,
  isTransaction,
  matchingTransactions,
  MAX_IDENTIFIER_LENGTH,
  quoteNumericCardFields,
  readCards,
  splitIntoSubOrders,
  toCodeMaterial,
  type ReloadlyOrderBody,
  type ReloadlyTransaction,
  type SubOrder,
} from './reloadly-mapping';

export interface ReloadlySupplierOptions {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  /** Default: `https://giftcards.reloadly.com` (production) / `https://giftcards-sandbox.reloadly.com`. */
  baseUrl?: string;
  /** Default: `https://auth.reloadly.com/oauth/token`. */
  authUrl?: string;
  /** Cards per sub-order. Default 10. */
  maxPerOrder?: number;
  /** Sub-orders of one reorder in flight at once (after the first, which goes alone). Default 5. */
  subOrdersAtOnce?: number;
  /** Deadline of one HTTP call, token call included. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Printed on Reloadly's receipt (required by the API). Default "StreamSync". */
  senderName?: string;
  /** Where Reloadly e-mails a copy of the cards; omitted by default. */
  recipientEmail?: string;
}

const HOSTS = {
  production: 'https://giftcards.reloadly.com',
  sandbox: 'https://giftcards-sandbox.reloadly.com',
} as const;
const AUTH_URL = 'https://auth.reloadly.com/oauth/token';

/** What one sub-order looks like at Reloadly right now: normally one transaction, none if never placed. */
interface SubOrderState {
  part: SubOrder;
  transactions: ReloadlyTransaction[];
}

export class ReloadlySupplier implements Supplier {
  readonly name = 'reloadly';
  private readonly http: ReloadlyHttp;
  private readonly maxPerOrder: number;
  private readonly subOrdersAtOnce: number;
  private readonly senderName: string;
  private readonly recipientEmail?: string;

  constructor(options: ReloadlySupplierOptions) {
    if (!options.clientId || !options.clientSecret) throw new Error('Reloadly needs a clientId and a clientSecret');
    if (options.environment !== 'sandbox' && options.environment !== 'production') {
      throw new Error(`Reloadly environment must be "sandbox" or "production", got "${String(options.environment)}"`);
    }
    this.maxPerOrder = options.maxPerOrder ?? 10;
    this.subOrdersAtOnce = subOrderWidth(options.subOrdersAtOnce);
    if (!Number.isInteger(this.maxPerOrder) || this.maxPerOrder < 1) throw new Error('maxPerOrder must be a positive integer');
    this.senderName = options.senderName ?? 'StreamSync';
    this.recipientEmail = options.recipientEmail;
    this.http = new ReloadlyHttp({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      audience: HOSTS[options.environment],
      baseUrl: options.baseUrl ?? HOSTS[options.environment],
      authUrl: options.authUrl ?? AUTH_URL,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? fetch,
    });
  }

  /**
   * Looks every sub-order up by `<reference>:<n>` and places only those Reloadly has never seen, a few
   * at a time. After a wave with a sub-order the supplier reports FAILED/REFUNDED nothing more is
   * placed, but the parts already placed are still looked up, so codes that were paid for are collected.
   */
  async placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const placed = await placeSubOrders(this.partsOf(request), {
      firstAttempt: request.firstAttempt === true,
      lookup: async (part) => {
        const found = await this.lookup(part.reference);
        return found.length > 0 ? found : undefined;
      },
      place: (part) => this.place(part, request),
      refused: (transactions) => transactions.some((t) => classifyStatus(t.status) === 'failed'),
    }, this.subOrdersAtOnce);
    return this.fulfilment(placed.map(({ part, state }) => ({ part, transactions: state ?? [] })));
  }

  /** Lookup only: never places. A sub-order Reloadly does not know (yet) keeps the reorder PENDING. */
  async check(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const states = await mapLimited(this.partsOf(request), this.subOrdersAtOnce, async (part) => ({ part, transactions: await this.lookup(part.reference) }));
    return this.fulfilment(states);
  }

  async balance(): Promise<{ amount: number; currency: string }> {
    const answer = await this.call<{ balance?: unknown; currencyCode?: unknown }>({
      method: 'GET',
      path: '/accounts/balance',
      op: 'read balance',
    });
    const amount = Number(answer.balance);
    if (!Number.isFinite(amount) || typeof answer.currencyCode !== 'string') {
      throw new SupplierError('reloadly: read balance: unreadable answer', 'UNAVAILABLE', true);
    }
    return { amount, currency: answer.currencyCode };
  }

  private partsOf(request: SupplierOrderRequest): SubOrder[] {
    if (!request.reference?.trim()) throw invalid('a reference is required');
    if (!Number.isInteger(request.quantity) || request.quantity < 1) throw invalid('quantity must be a positive integer');
    const parts = splitIntoSubOrders(request.reference, request.quantity, this.maxPerOrder);
    if (parts[parts.length - 1].reference.length > MAX_IDENTIFIER_LENGTH) {
      throw invalid(`reference is too long for a Reloadly customIdentifier (max ${MAX_IDENTIFIER_LENGTH} with its ":n")`);
    }
    return parts;
  }

  private async lookup(reference: string): Promise<ReloadlyTransaction[]> {
    const answer = await this.call<unknown>({
      method: 'GET',
      path: '/reports/transactions',
      query: { customIdentifier: reference, page: '1', size: '50' },
      op: `look up ${reference}`,
    });
    try {
      return matchingTransactions(answer, reference);
    } catch {
      throw new SupplierError(`reloadly: look up ${reference}: unreadable transaction report`, 'UNAVAILABLE', true);
    }
  }

  /**
   * POST /orders for one sub-order. When the outcome is unknown (timeout, dropped connection, 5xx,
   * 429, identifier already used) the sub-order is looked up again; if it is still not there the
   * error is thrown as retryable and the next attempt looks it up first. Never a second POST here.
   */
  private async place(part: SubOrder, request: SupplierOrderRequest): Promise<ReloadlyTransaction[]> {
    const body = this.orderBody(part, request);
    const op = `place order ${part.reference}`;
    let failure: unknown;
    try {
      const answer = await this.http.call<unknown>({ method: 'POST', path: '/orders', body, op });
      if (isTransaction(answer)) return [answer];
      failure = new ReloadlyCallError(op, 'unreadable');
    } catch (err) {
      if (!outcomeUnknown(err)) throw toSupplierError(err);
      failure = err;
    }
    const found = await this.lookup(part.reference);
    if (found.length > 0) return found;
    if (isDuplicateIdentifier(failure)) {
      throw new SupplierError(`reloadly: ${op}: identifier already used but the order is not visible yet`, 'UNAVAILABLE', true, 400);
    }
    throw toSupplierError(failure);
  }

  private orderBody(part: SubOrder, request: SupplierOrderRequest): ReloadlyOrderBody {
    const productId = Number(request.productId);
    if (!Number.isInteger(productId) || productId < 1) throw invalid(`productId "${request.productId}" is not a Reloadly product id`);
    if (request.unitPrice === undefined || !(request.unitPrice > 0)) throw invalid('unitPrice is required for Reloadly orders');
    return {
      productId,
      quantity: part.quantity,
      unitPrice: request.unitPrice,
      customIdentifier: part.reference,
      senderName: this.senderName,
      ...(this.recipientEmail ? { recipientEmail: this.recipientEmail } : {}),
      preOrder: false,
    };
  }

  /** Cards of a SUCCESSFUL transaction; none yet (404 or empty) while Reloadly is still issuing them. */
  private async cards(transaction: ReloadlyTransaction): Promise<CodeMaterial[]> {
    const id = encodeURIComponent(String(transaction.transactionId));
    let answer: unknown;
    try {
      answer = await this.http.call<unknown>({
        method: 'GET',
        path: `/orders/transactions/${id}/cards`,
        op: `read cards of transaction ${id}`,
        preParse: quoteNumericCardFields,
      });
    } catch (err) {
      if (err instanceof ReloadlyCallError && err.failure === 'http' && err.status === 404) return [];
      throw toSupplierError(err);
    }
    try {
      return readCards(answer).flatMap((card) => toCodeMaterial(card) ?? []);
    } catch {
      throw new SupplierError(`reloadly: read cards of transaction ${id}: unreadable answer`, 'UNAVAILABLE', true);
    }
  }

  /**
   * PENDING while any placed sub-order is still in progress; then FAILED if any failed (the codes of
   * the others are returned with it), COMPLETED otherwise. An unplaced part is pending, unless a
   * failure means it will never be placed.
   */
  private async fulfilment(states: SubOrderState[]): Promise<SupplierFulfilment> {
    const supplierOrderIds: string[] = [];
    const failures: string[] = [];
    const done: Array<{ part: SubOrder; transaction: ReloadlyTransaction }> = [];
    let pending = false;
    let unplaced = false;
    for (const { part, transactions } of states) {
      if (transactions.length === 0) unplaced = true;
      for (const transaction of transactions) {
        const id = String(transaction.transactionId);
        supplierOrderIds.push(id);
        const outcome = classifyStatus(transaction.status);
        if (outcome === 'failed') failures.push(`sub-order ${part.reference} (transaction ${id}) is ${transaction.status}`);
        if (outcome === 'pending') pending = true;
        if (outcome === 'done') done.push({ part, transaction });
      }
    }
    const codes: CodeMaterial[] = [];
    const cardsOfDone = await mapLimited(done, this.subOrdersAtOnce, ({ transaction }) => this.cards(transaction));
    for (const [i, cards] of cardsOfDone.entries()) {
      codes.push(...cards);
      if (cards.length < (done[i].transaction.product?.quantity ?? done[i].part.quantity)) pending = true;
    }
    if (failures.length > 0) {
      if (pending) return { status: 'PENDING', codes, supplierOrderIds };
      return { status: 'FAILED', codes, supplierOrderIds, failureReason: `Reloadly: ${failures.join('; ')}` };
    }
    return { status: pending || unplaced ? 'PENDING' : 'COMPLETED', codes, supplierOrderIds };
  }

  private async call<T>(spec: Parameters<ReloadlyHttp['call']>[0]): Promise<T> {
    try {
      return await this.http.call<T>(spec);
    } catch (err) {
      throw toSupplierError(err);
    }
  }
}

function invalid(message: string): SupplierError {
  return new SupplierError(`reloadly: ${message}`, 'INVALID_REQUEST', false);
}
