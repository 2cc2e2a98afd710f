// Local fake of the Graph API: Meta's error answers — the body `{ error: { message, type, code,
// error_subcode?, error_data, fbtrace_id } }` and the HTTP status Meta pairs with each code.
import { randomBytes } from 'node:crypto';

const TITLES: Readonly<Record<number, string>> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  100: 'Invalid parameter',
  190: 'Error validating access token: Session has expired',
  2500: 'Unknown path components',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  131057: 'Account in maintenance mode',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132018: 'There was an issue with the parameters in your template.',
};

const HTTP_STATUS: Readonly<Record<number, number>> = { 1: 500, 2: 503, 190: 401, 130429: 429, 131000: 500 };

export const titleOf = (code: number): string => TITLES[code] ?? 'Unknown error';

export interface MetaErrorAnswer {
  status: number;
  body: unknown;
}

export function metaError(code: number, details?: string, subcode?: number): MetaErrorAnswer {
  return {
    status: HTTP_STATUS[code] ?? 400,
    body: {
      error: {
        message: `(#${code}) ${titleOf(code)}`,
        type: 'OAuthException',
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        error_data: { messaging_product: 'whatsapp', details: details ?? titleOf(code) },
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}
