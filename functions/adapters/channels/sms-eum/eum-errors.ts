// SendTextMessage failures sorted into ChannelError failures: the one place that knows End User
// Messaging SMS's error shapes (awsJson1_0: the error name, plus a `Reason` on ValidationException,
// ConflictException, AccessDeniedException and ServiceQuotaExceededException). Messages carry the ref,
// the error name, its reason and the HTTP status only: AWS's own message text can quote the request.
import type { ChannelError } from '#core/errors';
import { channelFailureOf, readSdkFailure } from '../aws-sdk-failure';

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

/** The ChannelError of a failed SendTextMessage; `reason` is `<ErrorName>` or `<ErrorName>:<Reason>`. */
export function eumFailure(ref: string, err: unknown): ChannelError {
  const failure = readSdkFailure(err);
  const why = failure.reason;
  const message = `sms-eum: ${ref}: End User Messaging ${failure.name}${why ? ` ${why}` : ''}${failure.status === undefined ? '' : ` (HTTP ${failure.status})`}`;
  return channelFailureOf(failure, { permanent: PERMANENT_NAMES, throttled: THROTTLED }, message, why ? `${failure.name}:${why}` : failure.name);
}
