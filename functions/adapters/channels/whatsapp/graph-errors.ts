// Graph API error answers sorted into ChannelError failures: the one place that knows Meta's codes.
// Messages carry the HTTP status, Meta's numeric codes and the fbtrace_id only: Meta's own message
// and error_data.details can quote the parameters we sent, and a parameter can be the code.
import { ChannelError } from '#core/errors';

/** What we keep of `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }`. */
export interface GraphError {
  code?: number;
  subcode?: number;
  fbtraceId?: string;
}

const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const token = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined);

/** Meta's error body, or nothing when the answer is not one (a proxy's page, an empty body). */
export function readGraphError(text: string): GraphError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = (json as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, error_subcode, fbtrace_id } = error as Record<string, unknown>;
  return { code: int(code), subcode: int(error_subcode), fbtraceId: token(fbtrace_id) };
}

/**
 * Retryable codes and the wait we suggest when Meta sends no Retry-After: throughput (130429) refills
 * within seconds, the pair limit (131056) wants a gap of several seconds per recipient, an upgrading
 * number (131057) takes about a minute, unknown/overloaded (131000, 1, 2) a short pause.
 */
const TRANSIENT_CODES: ReadonlyMap<number, number> = new Map([
  [130429, 5],
  [131056, 10],
  [131057, 60],
  [131000, 10],
  [1, 10],
  [2, 10],
]);

/**
 * Never worth retrying as the same message: not on WhatsApp (131026), outside the 24 h window (131047),
 * spam limit (131048), Meta chose not to deliver (131049), template missing or wrong (132001, 132000),
 * token expired (190). The reason is the code, so the caller can tell "fall back" from "alert".
 */
const PERMANENT_CODES: ReadonlySet<number> = new Set([131026, 131047, 131048, 131049, 132000, 132001, 190]);

const SERVER_ERROR_HINT_SECONDS = 10;

function retryAfterSeconds(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function describe(ref: string, status: number, error: GraphError | undefined): string {
  const code = error?.code === undefined ? '' : `, Graph error ${error.code}${error.subcode === undefined ? '' : `/${error.subcode}`}`;
  const trace = error?.fbtraceId ? ` (fbtrace_id ${error.fbtraceId})` : '';
  return `whatsapp: ${ref}: HTTP ${status}${code}${trace}`;
}

/** The ChannelError of a non-2xx answer. Meta's code decides first; the HTTP status when the code is unknown or absent. */
export function graphFailure(ref: string, status: number, text: string, retryAfterHeader?: string | null): ChannelError {
  const error = readGraphError(text);
  const message = describe(ref, status, error);
  const code = error?.code;
  const hinted = retryAfterSeconds(retryAfterHeader);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return new ChannelError(message, 'TRANSIENT', String(code), hinted ?? TRANSIENT_CODES.get(code));
  if (code !== undefined && PERMANENT_CODES.has(code)) return new ChannelError(message, 'PERMANENT', String(code));
  const reason = code === undefined ? `http-${status}` : String(code);
  if (status === 429) return new ChannelError(message, 'TRANSIENT', reason, hinted ?? TRANSIENT_CODES.get(130429));
  if (status >= 500) return new ChannelError(message, 'TRANSIENT', reason, hinted ?? SERVER_ERROR_HINT_SECONDS);
  return new ChannelError(message, 'PERMANENT', reason);
}
