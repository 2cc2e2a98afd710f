// Secondary adapter: the Supplier port over EZ PIN. The restock core calls it with a reorder id;
// every sub-order is looked up by its derived reference_code before anything is bought, except on a
// reorder's first attempt, when nothing can be there yet.
import { SupplierError } from '#core/errors';
import { mapLimited } from '#core/map-limited';
import type { Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';
import { placeSubOrders, subOrderWidth } from '../sub-orders';
import { EzpinCallError, isDuplicateReference, isUnknownOrder, outcomeUnknown, toSupplierError } from './ezpin-errors';
import { collectFulfilment, type SubOrderState } from './ezpin-fulfilment';
import { EzpinHttp, type RequestSpec } from './ezpin-http';
import {
  formatPrice,
  MAX_IMMEDIATE_CARDS,
  pickBalance,
  quoteNumericCardFields,
  readAvailability,
  readBalances,
  readCards,
  readOrder,
  splitIntoSubOrders,
  terminalValue,
  toCodeMaterial,
  type EzpinOrder,
  type EzpinOrderBody,
  type SubOrder,
} from './ezpin-mapping';

export interface EzpinSupplierOptions {
  clientId: string;
  secretKey: string;
  /** Sub-user terminal (EZ PIN panel → settings); sent only when set. */
  terminalId?: string | number;
  terminalPin?: string | number;
  /** Informational: EZ PIN documents one host; a sandbox account is told apart by its keys. */
  environment?: 'sandbox' | 'production';
  /** Default `https://api.ezpaypin.com/vendors/v2`. */
  baseUrl?: string;
  /** Cards per sub-order, at most 5 (EZ PIN's limit for immediate orders). Default 5. */
  maxPerOrder?: number;
  /** Sub-orders of one reorder in flight at once (after the first, which goes alone). Default 5. */
  subOrdersAtOnce?: number;
  /** Deadline of one HTTP call, token call included. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The balance `balance()` reports when the account holds several currencies. Default USD. */
  currency?: string;
  now?: () => number;
}

export const EZPIN_BASE_URL = 'https://api.ezpaypin.com/vendors/v2';

export class EzpinSupplier implements Supplier {
  readonly name = 'ezpin';
  private readonly http: EzpinHttp;
  private readonly maxPerOrder: number;
  private readonly subOrdersAtOnce: number;
  private readonly terminal: Pick<EzpinOrderBody, 'terminal_id' | 'terminal_pin'>;
  private readonly currency: string;

  constructor(options: EzpinSupplierOptions) {
    if (!options.clientId || !options.secretKey) throw new Error('EZ PIN needs a clientId and a secretKey');
    this.maxPerOrder = options.maxPerOrder ?? MAX_IMMEDIATE_CARDS;
    this.subOrdersAtOnce = subOrderWidth(options.subOrdersAtOnce);
    if (!Number.isInteger(this.maxPerOrder) || this.maxPerOrder < 1 || this.maxPerOrder > MAX_IMMEDIATE_CARDS) {
      throw new Error(`maxPerOrder must be an integer from 1 to ${MAX_IMMEDIATE_CARDS}`);
    }
    this.terminal = {
      ...(options.terminalId !== undefined && String(options.terminalId).trim() ? { terminal_id: terminalValue(options.terminalId) } : {}),
      ...(options.terminalPin !== undefined && String(options.terminalPin).trim() ? { terminal_pin: terminalValue(options.terminalPin) } : {}),
    };
    this.currency = options.currency ?? 'USD';
    this.http = new EzpinHttp({
      clientId: options.clientId,
      secretKey: options.secretKey,
      baseUrl: options.baseUrl ?? EZPIN_BASE_URL,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? fetch,
      now: options.now,
    });
  }

  /**
   * Looks every sub-order up by its reference code and places only those EZ PIN has never seen.
   * After a sub-order is rejected nothing more is placed, but the parts already placed are still
   * looked up, so codes that were paid for are collected.
   */
  async placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const placed = await placeSubOrders(this.partsOf(request), {
      firstAttempt: request.firstAttempt === true,
      lookup: (part) => this.lookup(part),
      place: (part) => this.place(part, request),
      refused: (order) => order.status === -1,
    }, this.subOrdersAtOnce);
    const states: SubOrderState[] = placed.map(({ part, state }) => ({ part, order: state }));
    return collectFulfilment(states, (part) => this.cards(part), this.subOrdersAtOnce);
  }

  /** Lookup only: never places. A sub-order EZ PIN does not know (yet) keeps the reorder PENDING. */
  async check(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const states = await mapLimited(this.partsOf(request), this.subOrdersAtOnce, async (part): Promise<SubOrderState> => ({ part, order: await this.lookup(part) }));
    return collectFulfilment(states, (part) => this.cards(part), this.subOrdersAtOnce);
  }

  /** `GET /balance/`: EZ PIN keeps one balance per currency; this is the configured one (else the first). */
  async balance(): Promise<{ amount: number; currency: string }> {
    const answer = await this.call<unknown>({ method: 'GET', path: '/balance/', op: 'read balance' });
    try {
      return pickBalance(readBalances(answer), this.currency);
    } catch {
      throw new SupplierError('ezpin: read balance: unreadable answer', 'UNAVAILABLE', true);
    }
  }

  /** Whether EZ PIN can deliver `quantity` cards of a product at `price` now. Not on the port: for stock checks before a reorder. */
  async availability(productId: string, quantity: number, price: number): Promise<{ available: boolean; detail?: string }> {
    const sku = skuOf(productId);
    if (!Number.isInteger(quantity) || quantity < 1) throw invalid('quantity must be a positive integer');
    if (!(price > 0)) throw invalid('price must be positive');
    const answer = await this.call<unknown>({
      method: 'GET',
      path: `/catalogs/${sku}/availability/`,
      query: { item_count: String(quantity), price: formatPrice(price) },
      op: `check availability of sku ${sku}`,
    });
    const read = readAvailability(answer);
    if (!read) throw new SupplierError(`ezpin: check availability of sku ${sku}: unreadable answer`, 'UNAVAILABLE', true);
    return read;
  }

  private partsOf(request: SupplierOrderRequest): SubOrder[] {
    if (!request.reference?.trim()) throw invalid('a reference is required');
    if (!Number.isInteger(request.quantity) || request.quantity < 1) throw invalid('quantity must be a positive integer');
    return splitIntoSubOrders(request.reference, request.quantity, this.maxPerOrder);
  }

  /** The sub-order's order at EZ PIN, or undefined when EZ PIN has none with its reference code. */
  private async lookup(part: SubOrder): Promise<EzpinOrder | undefined> {
    const op = `look up ${describePart(part)}`;
    let answer: unknown;
    try {
      answer = await this.http.call<unknown>({ method: 'GET', path: `/orders/${encodeURIComponent(part.referenceCode)}/`, op });
    } catch (err) {
      if (isUnknownOrder(err)) return undefined;
      throw toSupplierError(err);
    }
    const order = readOrder(answer);
    if (!order || (order.referenceCode !== undefined && order.referenceCode.toLowerCase() !== part.referenceCode)) {
      throw new SupplierError(`ezpin: ${op}: unreadable order answer`, 'UNAVAILABLE', true);
    }
    return order;
  }

  /**
   * POST /orders/ for one sub-order. When the outcome is unknown (timeout, dropped connection, 5xx,
   * 429, 603/606/609, reference already used) it is looked up again; if it is still not there the
   * error is thrown as retryable and the next attempt looks it up first. Never a second POST here.
   */
  private async place(part: SubOrder, request: SupplierOrderRequest): Promise<EzpinOrder> {
    const body = this.orderBody(part, request);
    const op = `place order ${describePart(part)}`;
    let failure: unknown;
    try {
      const order = readOrder(await this.http.call<unknown>({ method: 'POST', path: '/orders/', body, op }));
      if (order) return order;
      failure = new EzpinCallError(op, 'unreadable', 'api');
    } catch (err) {
      if (!outcomeUnknown(err)) throw toSupplierError(err);
      failure = err;
    }
    const found = await this.lookup(part);
    if (found) return found;
    if (isDuplicateReference(failure)) {
      throw new SupplierError(`ezpin: ${op}: reference code already used but the order is not visible yet`, 'UNAVAILABLE', true, 400);
    }
    const error = toSupplierError(failure);
    // Unknown outcome, and still not visible: always worth another look later, never a fatal verdict.
    throw error.retryable ? error : new SupplierError(error.message, 'UNAVAILABLE', true, error.httpStatus);
  }

  private orderBody(part: SubOrder, request: SupplierOrderRequest): EzpinOrderBody {
    if (request.unitPrice === undefined || !(request.unitPrice > 0)) throw invalid('unitPrice is required for EZ PIN orders');
    return {
      sku: skuOf(request.productId),
      quantity: part.quantity,
      price: formatPrice(request.unitPrice),
      pre_order: false,
      delivery_type: 0,
      destination: '',
      ...this.terminal,
      reference_code: part.referenceCode,
    };
  }

  /** Cards of a sub-order so far; none yet (404 or empty) while EZ PIN is still issuing them. */
  private async cards(part: SubOrder) {
    const op = `read cards of ${describePart(part)}`;
    let answer: unknown;
    try {
      answer = await this.http.call<unknown>({
        method: 'GET',
        path: `/orders/${encodeURIComponent(part.referenceCode)}/cards/`,
        op,
        preParse: quoteNumericCardFields,
        sensitive: true,
      });
    } catch (err) {
      if (err instanceof EzpinCallError && err.failure === 'http' && err.status === 404) return [];
      throw toSupplierError(err);
    }
    try {
      return readCards(answer).flatMap((card) => toCodeMaterial(card) ?? []);
    } catch {
      throw new SupplierError(`ezpin: ${op}: unreadable answer`, 'UNAVAILABLE', true);
    }
  }

  private async call<T>(spec: RequestSpec): Promise<T> {
    try {
      return await this.http.call<T>(spec);
    } catch (err) {
      throw toSupplierError(err);
    }
  }
}

/** `r:2 (3f2a…)`: our sub-reference and the head of its reference code, enough to find it in EZ PIN's panel. */
const describePart = (part: SubOrder) => `${part.reference} (${part.referenceCode.slice(0, 8)})`;

function skuOf(productId: string): number {
  const sku = Number(productId);
  if (!/^\d+$/.test(productId?.trim() ?? '') || !Number.isSafeInteger(sku) || sku < 1) throw invalid(`productId "${productId}" is not an EZ PIN sku`);
  return sku;
}

function invalid(message: string): SupplierError {
  return new SupplierError(`ezpin: ${message}`, 'INVALID_REQUEST', false);
}
