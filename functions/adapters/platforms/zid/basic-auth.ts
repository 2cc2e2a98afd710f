// HTTP Basic Auth as Zid sends it back on every delivery (credentials set when the webhook is created).
import { safeEqual } from '../shared/timing-safe';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `{ username, password }` from `Basic base64(username:password)`, or undefined when malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const encoded = match[1] as string;
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Timing-safe check of an `Authorization` header against the configured credentials. */
export function verifyBasicAuth(header: string | undefined, username: string, password: string): boolean {
  if (username === '' || password === '') return false;
  const given = parseBasicAuth(header);
  // Compare something even when the header is malformed, so timing does not reveal which case it was.
  const userOk = safeEqual(given?.username ?? '', username);
  const passOk = safeEqual(given?.password ?? '', password);
  return given !== undefined && userOk && passOk;
}
