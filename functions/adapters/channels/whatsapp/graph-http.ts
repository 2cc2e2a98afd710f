// One POST to the Graph API with a deadline. A failure without an answer becomes a ChannelError here:
// TRANSIENT when the request provably never left (no connection), UNKNOWN_OUTCOME once it may have.
import { ChannelError } from '#core/errors';

export interface GraphAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

export interface GraphPost {
  url: string;
  token: string;
  body: unknown;
  timeoutMs: number;
  /** Names the message in error messages. */
  ref: string;
  fetch: typeof fetch;
}

// Failures while connecting: nothing was sent, so retrying cannot duplicate the message.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Error codes along fetch's cause chain (undici nests them, happy eyeballs in an AggregateError). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (depth > 4 || typeof err !== 'object' || err === null) return [];
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof code === 'string' ? [code] : [];
  const nested = Array.isArray(errors) ? errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...errorCodes(cause, depth + 1), ...nested];
}

function noAnswer(ref: string, err: unknown, timedOut: boolean): ChannelError {
  if (timedOut) return new ChannelError(`whatsapp: ${ref}: no answer within the timeout`, 'UNKNOWN_OUTCOME', 'timeout');
  const codes = errorCodes(err);
  if (codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c))) {
    return new ChannelError(`whatsapp: ${ref}: could not connect (${codes[0]})`, 'TRANSIENT', 'connect-failed');
  }
  return new ChannelError(`whatsapp: ${ref}: connection lost${codes[0] ? ` (${codes[0]})` : ''}`, 'UNKNOWN_OUTCOME', 'connection-lost');
}

export async function postGraph(post: GraphPost): Promise<GraphAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), post.timeoutMs);
  let response: Response;
  try {
    response = await post.fetch(post.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${post.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(post.body),
      signal: controller.signal,
    });
  } catch (err) {
    clearTimeout(timer);
    throw noAnswer(post.ref, err, controller.signal.aborted);
  }
  try {
    return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
  } catch (err) {
    // The status arrived but the body did not: an error status still says what happened, a 2xx does not.
    if (response.status >= 200 && response.status < 300) throw noAnswer(post.ref, err, controller.signal.aborted);
    return { status: response.status, text: '', retryAfter: response.headers.get('retry-after') };
  } finally {
    clearTimeout(timer);
  }
}
