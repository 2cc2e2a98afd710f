// Secondary adapter (Reloadly), error side: what a failed HTTP call was, and which SupplierError it
// becomes. The one place where Reloadly's answers are sorted into retryable and fatal.
import { SupplierError, type SupplierErrorKind } from '#core/errors';

/**
 * A Reloadly call that did not produce the answer we wanted. Internal to the adapter: the supplier
 * turns it into a `SupplierError` with `toSupplierError`. Messages never carry request or response
 * bodies, so they can never carry a card value.
 */
export class ReloadlyCallError extends Error {
  constructor(
    /** What we were doing, in words ("place order ref:1"). */
    readonly op: string,
    /** `http`: Reloadly answered with an error status. Otherwise no usable answer arrived. */
    readonly failure: 'http' | 'timeout' | 'network' | 'unreadable',
    readonly status?: number,
    /** Reloadly's `errorCode` (often null on gift card answers). */
    readonly errorCode?: string,
    /** Reloadly's `message`, trimmed and bounded. */
    readonly apiMessage?: string,
  ) {
    super(describe(op, failure, status, errorCode, apiMessage));
    this.name = 'ReloadlyCallError';
  }
}

function describe(op: string, failure: string, status?: number, code?: string, message?: string): string {
  if (failure !== 'http') return `reloadly: ${op}: ${failure === 'unreadable' ? 'unreadable answer' : failure}`;
  return `reloadly: ${op}: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
}

/** Reloadly's error body: `{ timeStamp, message, path, errorCode, infoLink, details }` (Spring 404s: `{ status, error }`). */
export function readErrorBody(text: string): { errorCode?: string; message?: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
    return {
      errorCode: str(body.errorCode),
      message: str(body.message) ?? str(body.error_description) ?? str(body.error),
    };
  } catch {
    return {};
  }
}

const has = (text: string | undefined, pattern: RegExp) => (text ? pattern.test(text) : false);

/** The same customIdentifier was already used by an accepted order: that order exists (third-party observation). */
export function isDuplicateIdentifier(err: unknown): boolean {
  return (
    err instanceof ReloadlyCallError &&
    err.failure === 'http' &&
    (err.errorCode === 'CUSTOM_IDENTIFIER_ALREADY_USED' ||
      (err.status === 400 && has(err.apiMessage, /already (been )?used|already exists/i)))
  );
}

/**
 * After a POST fails this way, the order may exist anyway: look it up before deciding.
 * Timeouts, dropped connections, unreadable answers, 5xx, 429, duplicate-identifier refusals, and
 * any error status without Reloadly's JSON error body (a proxy's page proves nothing).
 */
export function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof ReloadlyCallError)) return false;
  if (err.failure !== 'http') return true;
  const fromReloadly = err.errorCode !== undefined || err.apiMessage !== undefined;
  return !fromReloadly || (err.status ?? 0) >= 500 || err.status === 429 || err.status === 408 || isDuplicateIdentifier(err);
}

const PRODUCT_CODES = new Set([
  'INVALID_PRODUCT',
  'PRODUCT_NOT_FOUND',
  'PRODUCT_NOT_AVAILABLE',
  'PRODUCT_OUT_OF_STOCK',
  'PRODUCT_IS_NOT_ACTIVE',
  'OUT_OF_STOCK',
]);
const PRODUCT_MESSAGE = /out of stock|not available|unavailable|inactive|product not found|invalid product|no longer (active|available)/i;

function kindOf(err: ReloadlyCallError): { kind: SupplierErrorKind; retryable: boolean } {
  if (err.failure !== 'http') return { kind: 'UNAVAILABLE', retryable: true };
  const status = err.status ?? 0;
  const code = err.errorCode?.toUpperCase();
  if (status === 429) return { kind: 'RATE_LIMITED', retryable: true };
  if (status >= 500 || status === 408) return { kind: 'UNAVAILABLE', retryable: true };
  if (status === 401 || status === 403 || code === 'INVALID_TOKEN' || code === 'TOKEN_EXPIRED' || code === 'INVALID_CREDENTIALS') {
    return { kind: 'AUTH', retryable: false };
  }
  if (code === 'INSUFFICIENT_BALANCE' || code === 'INSUFFICIENT_WALLET_BALANCE' || has(err.apiMessage, /insufficient.*(balance|fund|wallet)/i)) {
    return { kind: 'INSUFFICIENT_BALANCE', retryable: false };
  }
  if (code === 'WRONG_PRODUCT_PRICE' || has(err.apiMessage, /invalid price/i)) return { kind: 'PRICE_CHANGED', retryable: false };
  if ((code && PRODUCT_CODES.has(code)) || has(err.apiMessage, PRODUCT_MESSAGE)) return { kind: 'PRODUCT_UNAVAILABLE', retryable: false };
  if (status >= 400) return { kind: 'INVALID_REQUEST', retryable: false };
  return { kind: 'UNKNOWN', retryable: false };
}

/** The port's error for a failed call. Anything that is not a `ReloadlyCallError` is a bug: UNKNOWN, not retryable. */
export function toSupplierError(err: unknown): SupplierError {
  if (err instanceof SupplierError) return err;
  if (err instanceof ReloadlyCallError) {
    const { kind, retryable } = kindOf(err);
    return new SupplierError(err.message, kind, retryable, err.failure === 'http' ? err.status : undefined);
  }
  return new SupplierError(`reloadly: unexpected failure (${err instanceof Error ? err.name : typeof err})`, 'UNKNOWN', false);
}
