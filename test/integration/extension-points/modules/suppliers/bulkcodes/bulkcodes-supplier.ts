// The Supplier port over the BulkCodes API. BulkCodes keys every order by our reference (a second POST
// with it answers the first order), and we still look the reference up before placing, as the port asks.
import { SupplierError, type SupplierErrorKind } from '#core/errors';
import type { CodeMaterial } from '#core/model';
import type { Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';

export interface BulkCodesOptions {
  apiKey: string;
  baseUrl: string;
  /** Deadline of one call. Default 10 000 ms. */
  timeoutMs?: number;
}

/** An order as BulkCodes answers it. */
interface BulkOrder {
  id: string;
  status: 'pending' | 'fulfilled' | 'failed';
  codes: Array<{ code: string; pin?: string }>;
}

const isOrder = (value: unknown): value is BulkOrder =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BulkOrder).id === 'string' &&
  ['pending', 'fulfilled', 'failed'].includes((value as BulkOrder).status) &&
  Array.isArray((value as BulkOrder).codes) &&
  (value as BulkOrder).codes.every((c) => typeof c?.code === 'string');

/** Which answers are worth retrying with the same reference, and which must alert the merchant. */
function kindOf(status: number): { kind: SupplierErrorKind; retryable: boolean } {
  if (status === 401 || status === 403) return { kind: 'AUTH', retryable: false };
  if (status === 402) return { kind: 'INSUFFICIENT_BALANCE', retryable: false };
  if (status === 409 || status === 422) return { kind: 'PRODUCT_UNAVAILABLE', retryable: false };
  if (status === 429) return { kind: 'RATE_LIMITED', retryable: true };
  if (status >= 500) return { kind: 'UNAVAILABLE', retryable: true };
  return { kind: 'INVALID_REQUEST', retryable: false };
}

export class BulkCodesSupplier implements Supplier {
  readonly name = 'bulkcodes';

  constructor(private readonly options: BulkCodesOptions) {}

  async placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const found = await this.find(request.reference);
    if (found) return fulfilment(found);
    const { productId, quantity, unitPrice, reference } = request;
    const placed = await this.call('POST', '/orders', `place order ${reference}`, { reference, productId, quantity, unitPrice });
    if (!isOrder(placed)) throw new SupplierError(`bulkcodes: place order ${reference}: unreadable answer`, 'UNAVAILABLE', true);
    return fulfilment(placed);
  }

  async check(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    const found = await this.find(request.reference);
    return found ? fulfilment(found) : { status: 'PENDING', codes: [], supplierOrderIds: [] };
  }

  async balance(): Promise<{ amount: number; currency: string }> {
    const answer = (await this.call('GET', '/balance', 'read balance')) as { amount?: unknown; currency?: unknown } | undefined;
    if (typeof answer?.amount !== 'number' || typeof answer.currency !== 'string') {
      throw new SupplierError('bulkcodes: read balance: unreadable answer', 'UNAVAILABLE', true);
    }
    return { amount: answer.amount, currency: answer.currency };
  }

  /** The order placed under `reference`, or undefined when BulkCodes has never seen it. */
  private async find(reference: string): Promise<BulkOrder | undefined> {
    const answer = await this.call('GET', `/orders/${encodeURIComponent(reference)}`, `look up ${reference}`, undefined, true);
    if (answer === undefined) return undefined;
    if (!isOrder(answer)) throw new SupplierError(`bulkcodes: look up ${reference}: unreadable answer`, 'UNAVAILABLE', true);
    return answer;
  }

  /** One call; errors name the operation and the status, never a body (it may hold codes). */
  private async call(method: 'GET' | 'POST', path: string, op: string, body?: object, notFoundIsEmpty = false): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.options.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      // The order may or may not have been taken: retryable, and the retry looks the reference up first.
      throw new SupplierError(`bulkcodes: ${op}: ${(err as Error).name === 'TimeoutError' ? 'timeout' : 'network error'}`, 'UNAVAILABLE', true);
    }
    if (res.status === 404 && notFoundIsEmpty) return undefined;
    if (!res.ok) {
      const { kind, retryable } = kindOf(res.status);
      throw new SupplierError(`bulkcodes: ${op}: HTTP ${res.status}`, kind, retryable, res.status);
    }
    return res.json().catch(() => {
      throw new SupplierError(`bulkcodes: ${op}: unreadable answer`, 'UNAVAILABLE', true);
    });
  }
}

function fulfilment(order: BulkOrder): SupplierFulfilment {
  const codes: CodeMaterial[] = order.codes.map((c) => ({ code: c.code, ...(c.pin ? { pin: c.pin } : {}), format: 'text' }));
  if (order.status === 'failed') return { status: 'FAILED', codes, supplierOrderIds: [order.id], failureReason: `BulkCodes: order ${order.id} failed` };
  return { status: order.status === 'fulfilled' ? 'COMPLETED' : 'PENDING', codes, supplierOrderIds: [order.id] };
}
