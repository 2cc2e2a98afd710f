// A unit sent as a reveal link, made through the ports the delivery core uses for it (claim with the
// send lease, issue the link, markDelivered with the link's expiry), for tests about what comes after
// the send: the page, a refund, the race between them. It works the same on the fakes and on DynamoDB.
//
// It stands in for functions/core/send-unit.ts sending over a link channel. Once the local pipeline's
// channel chain sends links (a store whose chain has a link step), a test can post a paid webhook
// instead and read the URL from the message in `pipeline.recorder`.
import type { CoreDeps } from '#core/deps';
import type { Locale } from '#core/model';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import type { RevealLink } from '#core/ports/reveals';

export type LinkDeliveryDeps = Pick<CoreDeps, 'claims' | 'orders' | 'sends' | 'revealLinks'>;

export interface LinkFacts {
  locale: Locale;
  orderReference: string;
  productName?: string;
  /** When the send is recorded. @default now */
  at?: string;
}

/** Claims a code for `unit` (its SKU must have stock), sends it "as a link" and records it DELIVERED. */
export async function deliverAsLink(deps: LinkDeliveryDeps, unit: NewUnit, facts: LinkFacts): Promise<{ unit: OrderUnit; link: RevealLink }> {
  const at = facts.at ?? new Date().toISOString();
  const claim = await deps.claims.claim(unit, 'NEW', { owner: 'link-delivery', until: '9999-12-31T00:00:00.000Z' });
  if (claim.result !== 'CLAIMED') throw new Error(`deliverAsLink: could not claim a code for ${unit.unitId} (${claim.result})`);
  const reserved = (await deps.orders.getUnit(unit))!;
  const link = await deps.revealLinks.issue(reserved, facts);
  if (!(await deps.sends.markDelivered(reserved, at, { channel: 'whatsapp', revealLinkExpiresAt: link.expiresAt }))) {
    throw new Error(`deliverAsLink: ${unit.unitId} could not be marked delivered`);
  }
  return { unit: (await deps.orders.getUnit(unit))!, link };
}

/** The token of a link (the last path segment): what a customer's browser presents. */
export const tokenOf = (link: RevealLink | string): string => new URL(typeof link === 'string' ? link : link.url).pathname.split('/').pop() ?? '';
