// SES v2 failures sorted into ChannelError failures: the one place that knows SES's error names.
// Messages carry the error name and HTTP status only: SES's own message text is not ours to log.
import type { ChannelError } from '#core/errors';
import { channelFailureOf, readSdkFailure } from '../aws-sdk-failure';

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

/** The ChannelError of a failed SendEmail. */
export function sesFailure(ref: string, err: unknown): ChannelError {
  const failure = readSdkFailure(err);
  const message = `email: ${ref}: SES ${failure.name}${failure.status === undefined ? '' : ` (HTTP ${failure.status})`}`;
  return channelFailureOf(failure, { permanent: PERMANENT_NAMES, throttled: THROTTLED }, message);
}
