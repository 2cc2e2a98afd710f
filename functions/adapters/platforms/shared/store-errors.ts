// Which StoreApiError a platform's answer becomes. One table for Salla and Zid, so the write-back
// queue retries the same things on both. Messages carry the operation, the status and at most a
// machine error code from the body: never a token, a secret or any free text from the answer.
import { StoreApiError, type StoreApiErrorKind } from '#core/errors';
import { retryAfterSeconds } from './rate-limit';
import { isRecord, safeToken } from './schema';

/** A short machine code from an error body (Salla `error.code`, Zid `message.code`, OAuth `error`), else undefined. */
export function errorCodeOf(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const candidates = [
    isRecord(body.error) ? body.error.code : body.error,
    isRecord(body.message) ? body.message.code : undefined,
    body.error_code,
    body.code,
  ];
  for (const candidate of candidates) {
    const token = safeToken(candidate);
    if (typeof candidate === 'string' && token !== 'other') return token;
  }
  return undefined;
}

function classify(status: number): { kind: StoreApiErrorKind; retryable: boolean } {
  if (status === 429) return { kind: 'RATE_LIMITED', retryable: true };
  if (status === 401 || status === 403) return { kind: 'AUTH', retryable: false };
  // Zid answers a missing session with a redirect to its login page (zidsa/sdk-python); we never follow redirects.
  if (status >= 300 && status < 400) return { kind: 'AUTH', retryable: false };
  if (status === 404 || status === 410) return { kind: 'NOT_FOUND', retryable: false };
  if (status === 408 || status >= 500) return { kind: 'UNAVAILABLE', retryable: true };
  return { kind: 'INVALID_REQUEST', retryable: false };
}

/** The error for a non-2xx answer. `what` is "salla: get order 1 of store 2". */
export function storeApiErrorOf(what: string, answer: { status: number; text: string; headers: Headers }, nowMs: number): StoreApiError {
  const { kind, retryable } = classify(answer.status);
  const code = errorCodeOf(answer.text);
  const wait = kind === 'RATE_LIMITED' || kind === 'UNAVAILABLE' ? retryAfterSeconds(answer.headers, nowMs) : undefined;
  const message = `${what}: HTTP ${answer.status}${code ? ` ${code}` : ''}${wait !== undefined ? ` (retry after ${wait} s)` : ''}`;
  return new StoreApiError(message, kind, retryable, wait);
}

/** No usable answer arrived (timeout, network) or it could not be read. */
export function unavailable(what: string, failure: 'timeout' | 'network' | 'unreadable answer'): StoreApiError {
  return new StoreApiError(`${what}: ${failure}`, 'UNAVAILABLE', true);
}
