// One error hierarchy; handlers map these to HTTP codes or batch failures in one place each.

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The webhook body does not match the platform's schema. `issues` name paths, never values. */
export class InvalidPayloadError extends DomainError {
  readonly code = 'INVALID_PAYLOAD';
  constructor(message: string, readonly issues: string[] = []) {
    super(message);
  }
}

export class AuthenticationError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

/**
 * A stored code does not open at its own item: its sealed value was moved from another item or
 * tampered with. Never retried, never sent: the unit is held and the merchant told.
 */
export class CodeIntegrityError extends DomainError {
  readonly code = 'CODE_INTEGRITY';
}

/** The orders queue could not take the message: the platform must retry later. */
export class QueueUnavailableError extends DomainError {
  readonly code = 'QUEUE_UNAVAILABLE';
}

/** Too many stores this container does not know were looked up lately: the platform must retry later. */
export class StoreLookupThrottledError extends DomainError {
  readonly code = 'STORE_LOOKUP_THROTTLED';
}

export type SupplierErrorKind =
  | 'INSUFFICIENT_BALANCE'
  | 'PRODUCT_UNAVAILABLE'
  | 'PRICE_CHANGED'
  | 'AUTH'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INVALID_REQUEST'
  | 'UNKNOWN';

/** A supplier call failed. Retryable errors are retried with the same reference; others alert the merchant. */
export class SupplierError extends DomainError {
  readonly code = 'SUPPLIER_ERROR';
  constructor(
    message: string,
    readonly kind: SupplierErrorKind,
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/**
 * How a channel's provider refused or failed a message:
 * - `PERMANENT`: the message was not and will not be delivered this way (bad number, not on WhatsApp,
 *   template missing): the next channel, or the unit is held.
 * - `TRANSIENT`: not delivered, worth retrying later (throttled, provider down).
 * - `UNKNOWN_OUTCOME`: the request may have been delivered (timeout, connection lost after sending).
 */
export type ChannelFailure = 'PERMANENT' | 'TRANSIENT' | 'UNKNOWN_OUTCOME';

/** A channel could not hand the message over. `reason` is a short machine token; messages never hold a code. */
export class ChannelError extends DomainError {
  readonly code = 'CHANNEL_ERROR';
  constructor(
    message: string,
    readonly failure: ChannelFailure,
    /** Provider's error code or a short token ("131026", "MessageRejected", "timeout"). */
    readonly reason: string,
    /** Seconds the provider asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * - `RATE_LIMITED`: the store's API quota is spent; retry after `retryAfterSeconds` when given.
 * - `UNAVAILABLE`: the platform did not answer usefully (5xx, timeout, network, unreadable answer).
 * - `AUTH`: the store's token is refused even after one fresh token, or a scope is missing.
 * - `NOT_FOUND`: the order (or store) does not exist for this token.
 * - `INVALID_REQUEST`: the platform refused what we sent (400, 422, an unknown status).
 * - `INVALID_GRANT`: the OAuth refresh chain is broken (a refresh token was reused or revoked): only
 *   the merchant re-installing (re-authorising) the app gives us tokens again. Never retryable.
 */
/** NO_TOKENS: the store never installed the app (or its tokens were never stored): nothing to call with. */
export type StoreApiErrorKind = 'RATE_LIMITED' | 'UNAVAILABLE' | 'AUTH' | 'NOT_FOUND' | 'INVALID_REQUEST' | 'INVALID_GRANT' | 'NO_TOKENS';

/** A store platform API call failed. Messages name the operation and the status, never a token, secret or body. */
export class StoreApiError extends DomainError {
  readonly code = 'STORE_API_ERROR';
  constructor(
    message: string,
    readonly kind: StoreApiErrorKind,
    readonly retryable: boolean,
    /** Seconds the platform asked us to wait (Retry-After, else X-RateLimit-Reset), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
