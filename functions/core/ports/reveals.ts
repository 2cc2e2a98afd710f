// Port of the one-time reveal page: a message may carry a link instead of the code. The link's token
// is random and never stored; the table keeps its digest, pointing at the unit. Whether the code was
// shown is recorded on the unit itself, so every link of a unit (a retry may issue a second) reveals
// it at most once between them, and a refund before that first reveal can give the code back.
import type { Locale } from '../model';
import type { OrderUnit, UnitRef } from './orders';

/** What a delivery needs to word a link message. */
export interface RevealLink {
  url: string;
  expiresAt: string;
}

/** Issues links (the adapter draws the token, stores its digest, builds the URL on the reveal route). */
export interface RevealLinks {
  /** Throws where the deployment has no reveal route (REVEAL_BASE_URL unset), or for a unit that holds no code. */
  issue(unit: OrderUnit, facts: { locale: Locale; orderReference: string; productName?: string }): Promise<RevealLink>;
}

/** The token rules, so the core can turn what the customer presents into the digest it looks up. */
export interface RevealTokens {
  /** The stored digest of `token`, or undefined for what cannot be a token (refused before any read). */
  digestOf(token: string): string | undefined;
}

/** A stored link, found by its digest. */
export interface RevealGrant extends UnitRef {
  digest: string;
  sku: string;
  codeId: string;
  /** The unit's `codeKey`: where its code is kept. */
  codeKey?: string;
  locale: Locale;
  orderReference: string;
  productName?: string;
  issuedAt: string;
  expiresAt: string;
}

export type RevealOutcome =
  /** This call showed the code first: the unit now carries `revealedAt`. */
  | { result: 'REVEALED' }
  /** Shown before (by this link or another of the same unit). */
  | { result: 'ALREADY_REVEALED'; revealedAt: string }
  /** The unit is cancelled (its code went back to stock) or otherwise not the customer's to see. */
  | { result: 'NOT_AVAILABLE' };

/** Where a unit stands for its link, read without writing: what opening the link (a GET) may show. */
export type RevealStatus =
  /** The code is committed to the customer and not shown yet: markRevealed would answer REVEALED now. */
  | { result: 'UNREVEALED' }
  | { result: 'ALREADY_REVEALED'; revealedAt: string }
  | { result: 'NOT_AVAILABLE' };

export interface RevealStore {
  putGrant(grant: RevealGrant): Promise<void>;
  getGrant(digest: string): Promise<RevealGrant | undefined>;
  /**
   * Marks the unit revealed, only once, only while it still holds `codeId` committed to this customer
   * (DELIVERED, or RESERVED with its send started: the reveal can beat the sender's markDelivered).
   */
  markRevealed(unit: UnitRef & { codeId: string }, at: string): Promise<RevealOutcome>;
  /**
   * What markRevealed would answer now, by a read alone (same conditions; UNREVEALED for REVEALED). Link
   * previews and mail scanners open links before the customer does: opening must never spend one.
   */
  revealStatus(unit: UnitRef & { codeId: string }): Promise<RevealStatus>;
}
