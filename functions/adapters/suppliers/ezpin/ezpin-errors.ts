// Secondary adapter (EZ PIN), error side: what a failed HTTP call was, and which SupplierError it
// becomes. The one place where EZ PIN's answers are sorted into retryable and fatal.
import { SupplierError, type SupplierErrorKind } from '#core/errors';

/**
 * An EZ PIN call that did not produce the answer we wanted. Internal to the adapter: the supplier
 * turns it into a `SupplierError` with `toSupplierError`. Messages never carry request bodies, nor
 * anything read from a cards answer, so they can never carry a card value.
 */
export class EzpinCallError extends Error {
  constructor(
    /** What we were doing, in words ("place order r:1 (3f2a…)"). */
    readonly op: string,
    /** `http`: EZ PIN answered with an error status. Otherwise no usable answer arrived. */
    readonly failure: 'http' | 'timeout' | 'network' | 'unreadable',
    /** `token`: the call was POST /auth/token/ (a refusal there means the credentials are wrong). */
    readonly stage: 'token' | 'api',
    readonly status?: number,
    /** EZ PIN's numeric `code` (610, 612, …). */
    readonly code?: number,
    /** EZ PIN's `detail`, trimmed and bounded; left out for calls whose answers may hold card values. */
    readonly detail?: string,
  ) {
    super(describe(op, failure, status, code, detail));
    this.name = 'EzpinCallError';
  }
}

function describe(op: string, failure: string, status?: number, code?: number, detail?: string): string {
  if (failure !== 'http') return `ezpin: ${op}: ${failure === 'unreadable' ? 'unreadable answer' : failure}`;
  return `ezpin: ${op}: HTTP ${status}${code !== undefined ? ` code ${code}` : ''}${detail ? `: ${detail}` : ''}`;
}

/**
 * EZ PIN's error body is `{ code, detail }` (OpenAPI examples: `{ code: 615, detail: "user not
 * found…" }`). Also read: a numeric string code, `message`/`error` instead of `detail`, and Django
 * REST framework's field errors `{ field: ["…"] }` (the API is DRF-shaped: trailing slashes, `detail`).
 */
export function readErrorBody(text: string): { code?: number; detail?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const record = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
  const rawCode = typeof record.code === 'string' ? Number(record.code.trim()) : record.code;
  const code = typeof rawCode === 'number' && Number.isInteger(rawCode) ? rawCode : undefined;
  const fieldError = Object.entries(record).find(([, v]) => Array.isArray(v) && typeof v[0] === 'string') as [string, string[]] | undefined;
  const detail = str(record.detail) ?? str(record.message) ?? str(record.error) ?? (fieldError ? str(`${fieldError[0]}: ${fieldError[1][0]}`) : undefined);
  return { code, detail };
}

/** Documented as "retry": 603, 606, 609. 621 too: its example text says "Please try again later". */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([603, 606, 609, 621]);

const FATAL_CODES: ReadonlyMap<number, SupplierErrorKind> = new Map([
  [610, 'INSUFFICIENT_BALANCE'],
  [612, 'PRICE_CHANGED'],
  [614, 'PRODUCT_UNAVAILABLE'],
  // OpenAPI examples: 615 "user not found" on the token call, 617 "wrong pin or terminal" (HTTP 406).
  [615, 'AUTH'],
  [617, 'AUTH'],
]);

const has = (text: string | undefined, pattern: RegExp) => (text ? pattern.test(text) : false);
const fromEzpin = (err: EzpinCallError) => err.code !== undefined || err.detail !== undefined;

/** EZ PIN refused a reference_code it already has: that order exists. The wording is not documented. */
export function isDuplicateReference(err: unknown): boolean {
  return (
    err instanceof EzpinCallError &&
    err.failure === 'http' &&
    err.status !== undefined &&
    err.status < 500 &&
    !FATAL_CODES.has(err.code ?? -1) &&
    has(err.detail, /reference.*(already|exist|used|unique|duplicate)|duplicate.*reference/i)
  );
}

/**
 * After a POST fails this way, the order may exist anyway: look it up before deciding. Timeouts,
 * dropped connections, unreadable answers, 5xx, 408, 429, the retryable codes, a duplicate
 * reference, and any error status without EZ PIN's JSON body (a proxy's page proves nothing).
 */
export function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof EzpinCallError)) return false;
  if (err.failure !== 'http') return true;
  const status = err.status ?? 0;
  if (err.code !== undefined && RETRYABLE_CODES.has(err.code)) return true;
  return !fromEzpin(err) || status >= 500 || status === 408 || status === 429 || isDuplicateReference(err);
}

/**
 * `GET /orders/{reference_code}/` for a code EZ PIN has never seen. Undocumented: a 404 with any
 * body (DRF answers `{ detail: "Not found." }`), or a 400/404/410 whose text says not found. Reading
 * "absent" by mistake is safe: the POST that follows reuses the reference code, which EZ PIN refuses.
 */
export function isUnknownOrder(err: unknown): boolean {
  // A refused token request says nothing about the order, however its detail is worded.
  if (!(err instanceof EzpinCallError) || err.failure !== 'http' || err.stage !== 'api') return false;
  if (err.status === 404) return true;
  return (err.status === 400 || err.status === 410) && has(err.detail, /not found|does not exist|no (such )?order|invalid reference/i);
}

function kindOf(err: EzpinCallError): { kind: SupplierErrorKind; retryable: boolean } {
  if (err.failure !== 'http') return { kind: 'UNAVAILABLE', retryable: true };
  const status = err.status ?? 0;
  const fatal = err.code !== undefined ? FATAL_CODES.get(err.code) : undefined;
  if (fatal) return { kind: fatal, retryable: false };
  if (err.code !== undefined && RETRYABLE_CODES.has(err.code)) return { kind: 'UNAVAILABLE', retryable: true };
  if (status === 429) return { kind: 'RATE_LIMITED', retryable: true };
  if (status >= 500 || status === 408) return { kind: 'UNAVAILABLE', retryable: true };
  if (status === 401 || status === 403 || (err.stage === 'token' && status >= 400)) return { kind: 'AUTH', retryable: false };
  if (has(err.detail, /insufficient|not enough (balance|credit|fund)/i)) return { kind: 'INSUFFICIENT_BALANCE', retryable: false };
  if (has(err.detail, /price\b.*\bchanged|(invalid|wrong) price|price .*(not|no longer) (valid|accepted)/i)) return { kind: 'PRICE_CHANGED', retryable: false };
  if (has(err.detail, /not available|unavailable|out of stock/i)) return { kind: 'PRODUCT_UNAVAILABLE', retryable: false };
  if (status >= 400) return { kind: 'INVALID_REQUEST', retryable: false };
  return { kind: 'UNKNOWN', retryable: false };
}

/** The port's error for a failed call. Anything that is not an `EzpinCallError` is a bug: UNKNOWN, not retryable. */
export function toSupplierError(err: unknown): SupplierError {
  if (err instanceof SupplierError) return err;
  if (err instanceof EzpinCallError) {
    const { kind, retryable } = kindOf(err);
    return new SupplierError(err.message, kind, retryable, err.failure === 'http' ? err.status : undefined);
  }
  return new SupplierError(`ezpin: unexpected failure (${err instanceof Error ? err.name : typeof err})`, 'UNKNOWN', false);
}
