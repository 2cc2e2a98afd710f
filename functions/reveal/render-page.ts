// The customer's screen behind a one-time link (GET and POST /c/<token>): one self-contained HTML page
// per state, with the headers that keep it out of caches, referrers, frames and search engines. Pure:
// the route decides the state (token store, expiry, throttle) and passes what the page may show.
import type { Locale } from '#core/model';
import { phrasesFor } from '#core/texts/compose';
import type { RevealPagePhrases } from '#core/texts/phrases';
import { escapeHtml } from './html-escape';
import { PAGE_SCRIPT, PAGE_STYLE, SHOW_SCRIPT, contentSecurityPolicy } from './page-assets';
import { closedBody, confirmBody, notFoundBody, revealBody, tooManyRequestsBody, type ClosedContent, type ConfirmContent, type RevealContent } from './page-body';

export type { ClosedContent, ConfirmContent, RevealContent } from './page-body';

export type RevealState = 'CONFIRM' | 'REVEAL' | 'ALREADY_REVEALED' | 'EXPIRED' | 'NOT_FOUND' | 'TOO_MANY_REQUESTS';

/**
 * What the route found. Only REVEAL carries code material; CONFIRM (the page a GET opens to) only what
 * the code is for; NOT_FOUND carries nothing to tell tokens apart.
 */
export type RevealView =
  | ({ state: 'CONFIRM' } & ConfirmContent)
  | ({ state: 'REVEAL' } & RevealContent)
  | ({ state: 'ALREADY_REVEALED' | 'EXPIRED' } & ClosedContent)
  | { state: 'NOT_FOUND' }
  | { state: 'TOO_MANY_REQUESTS'; retryAfterSeconds?: number };

/** Shaped like an API Gateway / Lambda function URL result, so the handler can return it as is. */
export interface RevealResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// The closed states are 410 (the resource existed and is gone for good), so a client or crawler
// does not retry; NOT_FOUND is a plain 404 whatever the reason.
const STATUS: Record<RevealState, number> = { CONFIRM: 200, REVEAL: 200, ALREADY_REVEALED: 410, EXPIRED: 410, NOT_FOUND: 404, TOO_MANY_REQUESTS: 429 };

export function renderRevealPage(view: RevealView, locale: Locale): RevealResponse {
  const p = phrasesFor(locale).revealPage;
  // REVEAL: the copy buttons' script. CONFIRM: the guard against a double tap, and a form to its own URL.
  const script = view.state === 'REVEAL' ? PAGE_SCRIPT : view.state === 'CONFIRM' ? SHOW_SCRIPT : undefined;
  const headers: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Language': locale,
    // A shared or back-forward cache must never hand the code to the next person on the device.
    'Cache-Control': 'no-store',
    'Content-Security-Policy': contentSecurityPolicy({ script, postsToSelf: view.state === 'CONFIRM' }),
    // The token is in the path: no outgoing request may carry it in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex, nofollow',
  };
  if (view.state === 'TOO_MANY_REQUESTS' && view.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(view.retryAfterSeconds)));
  }
  return { statusCode: STATUS[view.state], headers, body: page(locale, titleOf(view, p), bodyOf(view, p), script) };
}

function titleOf(view: RevealView, p: RevealPagePhrases): string {
  switch (view.state) {
    case 'CONFIRM':
      return p.confirmTitle;
    case 'REVEAL':
      return p.revealTitle;
    case 'ALREADY_REVEALED':
      return p.alreadyRevealedTitle;
    case 'EXPIRED':
      return p.expiredTitle;
    case 'NOT_FOUND':
      return p.notFoundTitle;
    case 'TOO_MANY_REQUESTS':
      return p.tooManyRequestsTitle;
  }
}

function bodyOf(view: RevealView, p: RevealPagePhrases): string {
  switch (view.state) {
    case 'CONFIRM':
      return confirmBody(view, p);
    case 'REVEAL':
      return revealBody(view, p);
    case 'ALREADY_REVEALED':
    case 'EXPIRED':
      return closedBody(view.state, view, p);
    case 'NOT_FOUND':
      return notFoundBody(p);
    case 'TOO_MANY_REQUESTS':
      return tooManyRequestsBody(p);
  }
}

// The title never holds the code: titles end up in history, tab switchers and shared screenshots.
// telephone=no stops iOS from turning numeric codes into call links.
// The code page and the one before it share the card's layout; the closed pages are centred, with an icon.
function page(locale: Locale, title: string, main: string, script: string | undefined): string {
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  return (
    `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="color-scheme" content="light dark"><meta name="format-detection" content="telephone=no">' +
    `<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>` +
    `<body><main class="${script ? 'reveal' : 'state'}">${main}</main>` +
    (script ? `<script>${script}</script>` : '') +
    '</body></html>'
  );
}
