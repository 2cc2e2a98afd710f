// In-memory RevealStore: grants by digest, and the once-per-unit mark on the unit with the DynamoDB
// store's condition (`codeId = :codeId AND attribute_not_exists(revealedAt) AND (state DELIVERED, or
// RESERVED with sendStartedAt)`), answering from the unit as it was when the condition failed.
import type { UnitRef } from '#core/ports/orders';
import type { RevealGrant, RevealOutcome, RevealStatus, RevealStore } from '#core/ports/reveals';
import { unitKey, type World } from './world';

export class FakeRevealStore implements RevealStore {
  constructor(private readonly world: World) {}

  async putGrant(grant: RevealGrant): Promise<void> {
    if (this.world.revealGrants.has(grant.digest)) throw new Error('Reveal grant not stored (grantIsNew)');
    this.world.revealGrants.set(grant.digest, { ...grant });
  }

  async getGrant(digest: string): Promise<RevealGrant | undefined> {
    const grant = this.world.revealGrants.get(digest);
    return grant && { ...grant };
  }

  async markRevealed(unit: UnitRef & { codeId: string }, at: string): Promise<RevealOutcome> {
    const stored = this.world.units.get(unitKey(unit));
    const committed = stored?.state === 'DELIVERED' || (stored?.state === 'RESERVED' && stored.sendStartedAt !== undefined);
    if (stored && stored.codeId === unit.codeId && stored.revealedAt === undefined && committed) {
      stored.revealedAt = at;
      return { result: 'REVEALED' };
    }
    return stored?.revealedAt ? { result: 'ALREADY_REVEALED', revealedAt: stored.revealedAt } : { result: 'NOT_AVAILABLE' };
  }

  /** markRevealed's answer without its write (UNREVEALED where it would reveal). */
  async revealStatus(unit: UnitRef & { codeId: string }): Promise<RevealStatus> {
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.revealedAt) return { result: 'ALREADY_REVEALED', revealedAt: stored.revealedAt };
    const committed = stored?.state === 'DELIVERED' || (stored?.state === 'RESERVED' && stored.sendStartedAt !== undefined);
    return stored && committed && stored.codeId === unit.codeId ? { result: 'UNREVEALED' } : { result: 'NOT_AVAILABLE' };
  }
}
