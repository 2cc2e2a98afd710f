// SendTextMessage failures sorted into ChannelError failures: the one place that knows End User
// Messaging SMS's error shapes (awsJson1_0: the error name, plus a `Reason` on ValidationException,
// ConflictException, AccessDeniedException and ServiceQuotaExceededException). Messages carry the ref,
// the error name, its reason and the HTTP status only: AWS's own message text can quote the request.
import { ChannelError } from '#core/errors';

/**
 * The request, the number or the account is refused: sending the same SMS again cannot help.
 * - ValidationException: a field the service rejects (INVALID_ARN, CANNOT_PARSE, PRICE_OVER_THRESHOLD
 *   when MaxPrice is below the price, DESTINATION_COUNTRY_BLOCKED, SENDER_ID_NOT_REGISTERED, …).
 * - ConflictException: the state forbids it (DESTINATION_PHONE_NUMBER_OPTED_OUT, RESOURCE_NOT_ACTIVE, …).
 * - AccessDeniedException: the role may not send from this identity, or the account is denied
 *   (ACCOUNT_DISABLED, …). ResourceNotFoundException: no such identity or configuration set.
 * - ServiceQuotaExceededException: PERMANENT although a quota refills, because the one SendTextMessage
 *   meets is the account's monthly SMS spend limit (MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT). It resets at
 *   the start of the next calendar month, or when someone raises it: retrying for minutes only spends the
 *   unit's attempts, while PERMANENT lets the chain fall through to the next channel (e-mail, WhatsApp)
 *   at once, or holds the unit and alerts the merchant when SMS was the last one.
 */
const PERMANENT_NAMES: ReadonlySet<string> = new Set([
  'ValidationException',
  'ConflictException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ServiceQuotaExceededException',
]);

/** Message-parts-per-second limits: seconds, not months. The hint is what we suggest without a Retry-After. */
const THROTTLED: ReadonlyMap<string, number> = new Map([
  ['ThrottlingException', 5],
  ['TooManyRequestsException', 5],
]);

const SERVER_ERROR_HINT_SECONDS = 10;

// Failures while connecting: nothing reached the service, so a retry cannot send the SMS twice.
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

// The SDK re-wraps an error it does not recognise as one into a bare Error whose message is all that is
// left of the socket's errno: read the token back from there.
const errnoIn = (message: unknown): string | undefined => (typeof message === 'string' ? /\b(E[A-Z]{4,12})\b/.exec(message)?.[1] : undefined);

function retryAfter(err: SdkError): number | undefined {
  const value = Number(err.$response?.headers?.['retry-after']);
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}

/** The ChannelError of a failed SendTextMessage; `reason` is `<ErrorName>` or `<ErrorName>:<Reason>`. */
export function eumFailure(ref: string, err: unknown): ChannelError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const name = token(e.name) ?? 'Error';
  const why = typeof e.Reason === 'string' && /^[A-Z0-9_]{1,80}$/.test(e.Reason) ? e.Reason : undefined;
  const reason = why ? `${name}:${why}` : name;
  const code = token(e.code) ?? errnoIn(e.message);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = `sms-eum: ${ref}: End User Messaging ${name}${why ? ` ${why}` : ''}${status === undefined ? '' : ` (HTTP ${status})`}`;

  if (status === undefined) {
    // No answer: a timeout or a cut connection may come after the service took the message.
    if (name === 'TimeoutError' || code === 'ETIMEDOUT') return new ChannelError(message, 'UNKNOWN_OUTCOME', 'timeout');
    if (code && NOT_SENT_CODES.has(code)) return new ChannelError(message, 'TRANSIENT', 'connect-failed');
    // Credentials are resolved before anything is sent.
    if (name === 'CredentialsProviderError') return new ChannelError(message, 'TRANSIENT', name);
    return new ChannelError(message, 'UNKNOWN_OUTCOME', code ? 'connection-lost' : 'unexpected');
  }
  if (status >= 200 && status < 300) return new ChannelError(message, 'UNKNOWN_OUTCOME', 'unreadable');
  const throttleHint = THROTTLED.get(name);
  if (throttleHint !== undefined || status === 429) return new ChannelError(message, 'TRANSIENT', reason, retryAfter(e) ?? throttleHint ?? 5);
  if (PERMANENT_NAMES.has(name)) return new ChannelError(message, 'PERMANENT', reason);
  // InternalServerException and any other 5xx: the service answered that it failed; taken as not sent, as
  // for SNS and SES (a 5xx after the message was queued would be AWS's bug, not a lost answer).
  if (status >= 500 || e.$fault === 'server') return new ChannelError(message, 'TRANSIENT', reason, retryAfter(e) ?? SERVER_ERROR_HINT_SECONDS);
  // Another 4xx: refused, not sent.
  return new ChannelError(message, 'PERMANENT', reason);
}
