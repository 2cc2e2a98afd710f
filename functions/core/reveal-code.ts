// Use case: a customer opens a one-time reveal link. Opening it (GET) only looks: link previews and
// mail scanners fetch links before the customer does, so a valid unopened link answers a page with a
// button, and only that button's POST shows the code. The code is shown to the first POST of any link
// of the unit, while the link is valid and the code is still the customer's; every later one gets a
// page without it. Lookups that find nothing write nothing.
import type { CoreDeps } from './deps';
import type { CodeMaterial, Locale } from './model';
import type { UnitRef } from './ports/orders';
import type { RevealGrant } from './ports/reveals';

export type RevealDeps = Pick<CoreDeps, 'reveals' | 'revealTokens' | 'stock' | 'clock'>;

/** What the page may show in each state (functions/reveal/render-page.ts renders it). */
export type RevealPageView =
  /** A valid link not opened yet: what it is for and a button to show the code. No code material. */
  | { state: 'CONFIRM'; orderReference: string; productName?: string }
  | { state: 'REVEAL'; orderReference: string; productName?: string; code: CodeMaterial }
  | { state: 'ALREADY_REVEALED' | 'EXPIRED'; orderReference: string }
  /** Nothing at all: a wrong token and a malformed one must be told apart by nobody. */
  | { state: 'NOT_FOUND' };

export interface RevealAnswer {
  view: RevealPageView;
  /** The order's language; absent for NOT_FOUND (the request's own language applies). */
  locale?: Locale;
  /** The unit the link belongs to, for the log line (the token is never logged). */
  unit?: UnitRef;
}

type Found =
  | { open: false; answer: RevealAnswer }
  | { open: true; grant: RevealGrant; now: Date; answer: (view: RevealPageView) => RevealAnswer };

/** The link's grant while it is valid, else the answer for it (NOT_FOUND, EXPIRED). Reads the grant only. */
async function findOpenGrant(deps: RevealDeps, token: string): Promise<Found> {
  const digest = deps.revealTokens.digestOf(token);
  const grant = digest === undefined ? undefined : await deps.reveals.getGrant(digest);
  if (!grant) return { open: false, answer: { view: { state: 'NOT_FOUND' } } };
  const { storeId, orderId, unitId, orderReference } = grant;
  const answer = (view: RevealPageView): RevealAnswer => ({ view, locale: grant.locale, unit: { storeId, orderId, unitId } });
  const now = deps.clock.now();
  if (now.getTime() >= Date.parse(grant.expiresAt)) return { open: false, answer: answer({ state: 'EXPIRED', orderReference }) };
  return { open: true, grant, now, answer };
}

/**
 * GET: what the link holds, without spending it. No code is read and nothing is written, so any number
 * of previews and scanners may open it first; the unit is read to tell a spent link (ALREADY_REVEALED)
 * or a refunded one (EXPIRED) from one still to open (CONFIRM).
 */
export async function openRevealLink(deps: RevealDeps, token: string): Promise<RevealAnswer> {
  const found = await findOpenGrant(deps, token);
  if (!found.open) return found.answer;
  const { grant, answer } = found;
  const { orderReference } = grant;
  const status = await deps.reveals.revealStatus(grant);
  switch (status.result) {
    case 'UNREVEALED':
      return answer({ state: 'CONFIRM', orderReference, productName: grant.productName });
    case 'ALREADY_REVEALED':
      return answer({ state: 'ALREADY_REVEALED', orderReference });
    case 'NOT_AVAILABLE':
      return answer({ state: 'EXPIRED', orderReference });
  }
}

/** POST (the button of the CONFIRM page): shows the code once and spends every link of the unit. */
export async function revealCode(deps: RevealDeps, token: string): Promise<RevealAnswer> {
  const found = await findOpenGrant(deps, token);
  if (!found.open) return found.answer;
  const { grant, now, answer } = found;
  const { orderReference } = grant;
  // Read before the mark: a read failing after it would leave the customer with a spent link and no
  // code, while a mark failing after the read only wastes the read.
  const code = await deps.stock.readCode(grant);
  const outcome = await deps.reveals.markRevealed(grant, now.toISOString());
  switch (outcome.result) {
    case 'REVEALED':
      return answer({ state: 'REVEAL', orderReference, productName: grant.productName, code });
    case 'ALREADY_REVEALED':
      return answer({ state: 'ALREADY_REVEALED', orderReference });
    case 'NOT_AVAILABLE':
      // Refunded before anyone opened it (the code went back to stock): to the customer, the link is over.
      return answer({ state: 'EXPIRED', orderReference });
  }
}
