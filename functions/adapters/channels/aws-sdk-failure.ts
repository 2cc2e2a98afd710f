// How an AWS SDK v3 failure of one send maps to a ChannelError, shared by the channels that call an
// AWS messaging API (SES, End User Messaging SMS). Each service names its own permanent and throttling
// errors; the rest (no answer, a cut connection, 5xx, an unreadable 2xx) means the same everywhere.
import { ChannelError } from '#core/errors';

export interface ServiceErrorNames {
  /** Refused for good: sending the same message again cannot help. */
  permanent: ReadonlySet<string>;
  /** Rate limits, with the seconds to suggest when no Retry-After comes. */
  throttled: ReadonlyMap<string, number>;
}

/** What an SDK error carries that is safe to name: never its message text (it can quote the request). */
export interface SdkFailure {
  name: string;
  /** A socket errno (ECONNREFUSED, ETIMEDOUT…), when there is one. */
  code?: string;
  status?: number;
  /** A service's own reason field (End User Messaging's `Reason`), when well-formed. */
  reason?: string;
  retryAfterSeconds?: number;
  serverFault: boolean;
}

const SERVER_ERROR_HINT_SECONDS = 10;

// Failures while connecting: nothing reached the service, so a retry cannot send the message twice.
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

interface SdkError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  Reason?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, string | undefined> };
}

const token = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(v) ? v : undefined);

// The SDK re-wraps an error it does not recognise as one (another realm's, a thrown string) into a
// bare Error whose message is all that is left of the socket's errno: read the token back from there.
const errnoIn = (message: unknown): string | undefined => (typeof message === 'string' ? /\b(E[A-Z]{4,12})\b/.exec(message)?.[1] : undefined);

export function readSdkFailure(err: unknown): SdkFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const retryAfter = Number(e.$response?.headers?.['retry-after']);
  const code = token(e.code) ?? errnoIn(e.message);
  const reason = typeof e.Reason === 'string' && /^[A-Z0-9_]{1,80}$/.test(e.Reason) ? e.Reason : undefined;
  return {
    name: token(e.name) ?? 'Error',
    ...(code && { code }),
    ...(typeof e.$metadata?.httpStatusCode === 'number' && { status: e.$metadata.httpStatusCode }),
    ...(reason && { reason }),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 && { retryAfterSeconds: Math.ceil(retryAfter) }),
    serverFault: e.$fault === 'server',
  };
}

/** `message` names the ref and the failure (never the text sent); `reason` is what the unit records. */
export function channelFailureOf(failure: SdkFailure, names: ServiceErrorNames, message: string, reason: string = failure.name): ChannelError {
  const { name, code, status } = failure;
  if (status === undefined) {
    // No answer: a timeout or a cut connection may come after the service took the message.
    if (name === 'TimeoutError' || code === 'ETIMEDOUT') return new ChannelError(message, 'UNKNOWN_OUTCOME', 'timeout');
    if (code && NOT_SENT_CODES.has(code)) return new ChannelError(message, 'TRANSIENT', 'connect-failed');
    // Credentials are resolved before anything is sent.
    if (name === 'CredentialsProviderError') return new ChannelError(message, 'TRANSIENT', name);
    return new ChannelError(message, 'UNKNOWN_OUTCOME', code ? 'connection-lost' : 'unexpected');
  }
  if (status >= 200 && status < 300) return new ChannelError(message, 'UNKNOWN_OUTCOME', 'unreadable');
  const throttleHint = names.throttled.get(name);
  if (throttleHint !== undefined || status === 429) return new ChannelError(message, 'TRANSIENT', reason, failure.retryAfterSeconds ?? throttleHint ?? 5);
  if (names.permanent.has(name)) return new ChannelError(message, 'PERMANENT', reason);
  // A 5xx: the service answered that it failed; taken as not sent (a 5xx after the message was queued
  // would be AWS's bug, not a lost answer).
  if (status >= 500 || failure.serverFault) return new ChannelError(message, 'TRANSIENT', reason, failure.retryAfterSeconds ?? SERVER_ERROR_HINT_SECONDS);
  // Another 4xx: refused, not sent.
  return new ChannelError(message, 'PERMANENT', reason);
}
