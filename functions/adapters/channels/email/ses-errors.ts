// SES v2 failures sorted into ChannelError failures: the one place that knows SES's error names.
// Messages carry the error name and HTTP status only: SES's own message text is not ours to log.
import { ChannelError } from '#core/errors';

/** The account, identity or message is refused: retrying the same e-mail cannot help, someone must act. */
const PERMANENT_NAMES: ReadonlySet<string> = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'SendingPausedException',
  'AccountSuspendedException',
  'NotFoundException',
  'BadRequestException',
]);

/** Rate limits; the hint is what we suggest waiting without a Retry-After. */
const THROTTLED: ReadonlyMap<string, number> = new Map([
  ['TooManyRequestsException', 5],
  ['ThrottlingException', 5],
  ['Throttling', 5],
  // Quotas refill (the 24-hour sending quota among them): later, not never.
  ['LimitExceededException', 300],
]);

const SERVER_ERROR_HINT_SECONDS = 10;

// Failures while connecting: nothing reached SES, so retrying cannot send the e-mail twice.
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

interface SdkError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, string | undefined> };
}

const token = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(v) ? v : undefined);

// The SDK re-wraps an error it does not recognise as one (another realm's, a thrown string) into a
// bare Error whose message is all that is left of the socket's errno: read the token back from there.
const errnoIn = (message: unknown): string | undefined => (typeof message === 'string' ? /\b(E[A-Z]{4,12})\b/.exec(message)?.[1] : undefined);

function retryAfter(err: SdkError): number | undefined {
  const value = Number(err.$response?.headers?.['retry-after']);
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}

/** The ChannelError of a failed SendEmail. */
export function sesFailure(ref: string, err: unknown): ChannelError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const name = token(e.name) ?? 'Error';
  const code = token(e.code) ?? errnoIn(e.message);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = `email: ${ref}: SES ${name}${status === undefined ? '' : ` (HTTP ${status})`}`;

  if (status === undefined) {
    if (name === 'TimeoutError' || code === 'ETIMEDOUT') return new ChannelError(message, 'UNKNOWN_OUTCOME', 'timeout');
    if (code && NOT_SENT_CODES.has(code)) return new ChannelError(message, 'TRANSIENT', 'connect-failed');
    // Credentials are resolved before anything is sent.
    if (name === 'CredentialsProviderError') return new ChannelError(message, 'TRANSIENT', name);
    return new ChannelError(message, 'UNKNOWN_OUTCOME', code ? 'connection-lost' : 'unexpected');
  }
  if (status >= 200 && status < 300) return new ChannelError(message, 'UNKNOWN_OUTCOME', 'unreadable');
  const throttleHint = THROTTLED.get(name);
  if (throttleHint !== undefined || status === 429) return new ChannelError(message, 'TRANSIENT', name, retryAfter(e) ?? throttleHint ?? 5);
  if (PERMANENT_NAMES.has(name)) return new ChannelError(message, 'PERMANENT', name);
  if (status >= 500 || e.$fault === 'server') return new ChannelError(message, 'TRANSIENT', name, retryAfter(e) ?? SERVER_ERROR_HINT_SECONDS);
  return new ChannelError(message, 'PERMANENT', name);
}
