// Ports of the write-back: telling the store an order was delivered, off the customer's path. The
// state lives on the order (once per order, leased while a call is in flight); the pacer spreads each
// store's calls under its platform's rate limit, across every container.
import type { StoreApi } from './store-api';

/** A fully delivered order to report to its store. Never a code: only ids and a unit count. */
export interface WriteBackMessage {
  platform: string;
  storeId: string;
  orderId: string;
  /** Units delivered, for the note on the store's order history. */
  units: number;
  /** Attempts that failed so far (the retry's backoff grows with it). */
  attempt?: number;
  /** The pacer slot this message already holds (epoch ms): on its return it goes without reserving again. */
  slotAt?: number;
}

export interface WriteBackQueue {
  send(message: WriteBackMessage, delaySeconds?: number): Promise<void>;
}

export type WriteBackState = 'IN_PROGRESS' | 'RETRYING' | 'DONE' | 'FAILED' | 'SKIPPED';

/** The write-back as recorded on the order (`orders show`). */
export interface WriteBackRecord {
  state: WriteBackState;
  /** Calls made to the store (each one that reached it or failed). */
  attempts: number;
  at: string;
  /** The store's HTTP status of the call that ended it. */
  httpStatus?: number;
  /** The status it was set to (`completed`, `delivered`, or the merchant's own). */
  status?: string;
  /** Why it failed or was skipped, or the last retryable failure. Never a token or a body. */
  error?: string;
}

export type BeginOutcome =
  /** `cancelled`: the order was cancelled or refunded since it was delivered (the store must not be told "delivered"). */
  | { started: true; attempts: number; cancelled?: boolean }
  /** Done, failed for good, or skipped already: a duplicate message changes nothing. */
  | { started: false; reason: 'FINISHED'; record: WriteBackRecord }
  /** Another invocation holds the lease until `leaseUntil` (epoch ms). */
  | { started: false; reason: 'BUSY'; leaseUntil: number }
  | { started: false; reason: 'NO_ORDER' };

export interface WriteBackStore {
  /** Takes the order's write-back lease unless it finished or another holder's lease runs. */
  begin(storeId: string, orderId: string, owner: string, now: Date, leaseSeconds: number): Promise<BeginOutcome>;
  /** Ends it for good (DONE, FAILED or SKIPPED), only while `owner` holds the lease. */
  finish(storeId: string, orderId: string, owner: string, record: WriteBackRecord): Promise<void>;
  /** Gives the lease back with the attempt recorded (RETRYING): the next message takes it. */
  release(storeId: string, orderId: string, owner: string, record: WriteBackRecord): Promise<void>;
  /** The merchant's retry: a FAILED or SKIPPED write-back (or none yet) may run again; false when it is DONE or running. */
  reopen(storeId: string, orderId: string, at: string): Promise<boolean>;
}

/** A per-store request budget: a leaky bucket of `burst` requests draining `perSecond`. */
export interface RateBudget {
  burst: number;
  perSecond: number;
}

export interface StorePacer {
  /**
   * Reserves the next request slot of the store's bucket: the epoch ms it may be sent at (now, or
   * later when the bucket is full). Every caller in every container shares the one bucket.
   */
  reserve(platform: string, storeId: string, budget: RateBudget, nowMs: number): Promise<number>;
  /** The store answered 429: no slot before `untilMs`, and no burst right after it. */
  holdUntil(platform: string, storeId: string, budget: RateBudget, untilMs: number): Promise<void>;
}

/** A platform's admin API as the write-back and the payment check use it, with its default budget. */
export interface StoreApis {
  api(platform: string): StoreApi | undefined;
  /** The platform's documented per-store limit (its default plan): the write-back takes a share. */
  budget(platform: string): RateBudget | undefined;
}
