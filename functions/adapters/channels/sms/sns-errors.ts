// SNS publish failures sorted for the delivery: a number SNS will never reach is permanent (the unit is
// held, its code kept for it), throttling and outages are transient, a cut-off answer is of unknown outcome.
import { ChannelError } from '#core/errors';

const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'AuthorizationErrorException', 'EndpointDisabledException', 'OptedOutException']);
const TRANSIENT = new Set(['ThrottledException', 'ThrottlingException', 'InternalErrorException', 'KMSThrottlingException', 'ServiceUnavailable', 'KMSInvalidStateException']);
const UNKNOWN = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'ECONNRESET', 'EPIPE']);

/** The ChannelError for an SNS failure; the message names the error class and the ref, never the text sent. */
export function toChannelError(err: unknown, ref: string): ChannelError {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const what = `SNS refused the SMS for ${ref}: ${name}`;
  if (PERMANENT.has(name)) return new ChannelError(what, 'PERMANENT', name);
  if (TRANSIENT.has(name) || (status !== undefined && status >= 500)) return new ChannelError(what, 'TRANSIENT', name);
  if (UNKNOWN.has(name) || (e?.code && UNKNOWN.has(e.code))) return new ChannelError(`SNS did not answer for ${ref}: ${name}`, 'UNKNOWN_OUTCOME', name);
  // An answer we do not recognise: assume it may have gone out rather than risk a second SMS.
  return new ChannelError(`SNS failed for ${ref}: ${name}`, 'UNKNOWN_OUTCOME', name);
}
