// revealCode (POST): a link shows its code to the first reveal of any link of the unit, while it is valid
// and the code is still the customer's; misses, expired links and later visits write nothing and show no
// code. openRevealLink (GET): only looks, so link previews and mail scanners opening it first spend nothing.
import type { NewUnit } from '#core/ports/orders';
import { openRevealLink, revealCode } from '#core/reveal-code';
import { deliverAsLink, tokenOf } from '#test/contract/link-delivery';
import { REVEAL_BASE, harness, T0 } from '#test/fakes/harness';

const SKU = 'CARD-50';
const unit = (n = 1): NewUnit => ({ storeId: 'store-1', orderId: 'O1', unitId: `L1#${n}`, lineId: 'L1', sku: SKU, receivedAt: T0, productName: 'Gift card 50' });
const facts = { locale: 'ar' as const, orderReference: 'REF-O1', at: T0 };

async function linked() {
  const h = harness();
  h.stock.seedCodes(SKU, 'CODE-A');
  const sent = await deliverAsLink(h.deps, unit(), facts);
  return { h, ...sent, token: tokenOf(sent.link) };
}

/** Everything the fakes hold, to prove a visit changed nothing. */
const snapshot = (h: ReturnType<typeof harness>) => JSON.stringify([[...h.world.units], [...h.world.codes], [...h.world.revealGrants]]);

describe('openRevealLink (GET)', () => {
  const unitRef = { storeId: 'store-1', orderId: 'O1', unitId: 'L1#1' };

  it('a valid unopened link: CONFIRM with what the code is for, no code read, no mark, no write; any number of times', async () => {
    const { h, token } = await linked();
    const readCode = jest.spyOn(h.stock, 'readCode');
    const markRevealed = jest.spyOn(h.reveals, 'markRevealed');
    const before = snapshot(h);
    for (let i = 0; i < 3; i++) {
      expect(await openRevealLink(h.deps, token)).toEqual({ view: { state: 'CONFIRM', orderReference: 'REF-O1', productName: 'Gift card 50' }, locale: 'ar', unit: unitRef });
    }
    expect(readCode).not.toHaveBeenCalled();
    expect(markRevealed).not.toHaveBeenCalled();
    expect(snapshot(h)).toBe(before);
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.revealedAt).toBeUndefined();
    // The customer's POST after a preview's GETs still shows the code.
    expect((await revealCode(h.deps, token)).view).toMatchObject({ state: 'REVEAL', code: { code: 'CODE-A' } });
  });

  it('after the reveal, through this link or another of the unit: ALREADY_REVEALED, nothing written', async () => {
    const { h, unit: delivered, token } = await linked();
    const second = await h.revealLinks.issue(delivered, facts);
    await revealCode(h.deps, token);
    const before = snapshot(h);
    for (const t of [token, tokenOf(second)]) expect(await openRevealLink(h.deps, t)).toEqual({ view: { state: 'ALREADY_REVEALED', orderReference: 'REF-O1' }, locale: 'ar', unit: unitRef });
    expect(snapshot(h)).toBe(before);
  });

  it.each([
    ['a malformed token', 'not-a-token'],
    ['an unknown token', 'A'.repeat(24)],
    ['an empty path', ''],
  ])('%s: NOT_FOUND with nothing to tell it apart, and no write', async (_what, token) => {
    const { h } = await linked();
    const before = snapshot(h);
    expect(await openRevealLink(h.deps, token)).toEqual({ view: { state: 'NOT_FOUND' } });
    expect(snapshot(h)).toBe(before);
  });

  it('after the link expired: EXPIRED, the unit not even looked at', async () => {
    const { h, token } = await linked();
    h.clock.advanceSeconds(720 * 3600);
    const revealStatus = jest.spyOn(h.reveals, 'revealStatus');
    expect(await openRevealLink(h.deps, token)).toEqual({ view: { state: 'EXPIRED', orderReference: 'REF-O1' }, locale: 'ar', unit: unitRef });
    expect(revealStatus).not.toHaveBeenCalled();
  });

  it('a unit whose code went back to stock (refunded before anyone revealed it): EXPIRED', async () => {
    const { h, token } = await linked();
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: T0 });
    expect(await h.claims.returnUnrevealed(h.world.unit('store-1', 'O1', 'L1#1')!)).toBe(true);
    expect((await openRevealLink(h.deps, token)).view).toEqual({ state: 'EXPIRED', orderReference: 'REF-O1' });
  });

  it('opened before the sender\'s markDelivered (a committed RESERVED unit): CONFIRM, as the POST would reveal', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim(unit(), 'NEW', { owner: 'w', until: '2025-03-01T10:01:00.000Z' });
    const link = await h.revealLinks.issue(h.world.unit('store-1', 'O1', 'L1#1')!, facts);
    expect((await openRevealLink(h.deps, tokenOf(link))).view.state).toBe('CONFIRM');
  });

  it('opening a link never leads to a code read or a mark, whatever the unit\'s state', async () => {
    const { h, token } = await linked();
    const readCode = jest.spyOn(h.stock, 'readCode');
    const markRevealed = jest.spyOn(h.reveals, 'markRevealed');
    await openRevealLink(h.deps, token);
    readCode.mockClear();
    markRevealed.mockClear();
    await revealCode(h.deps, token);
    expect([readCode.mock.calls.length, markRevealed.mock.calls.length]).toEqual([1, 1]);
    await openRevealLink(h.deps, token);
    h.clock.advanceSeconds(720 * 3600);
    await openRevealLink(h.deps, token);
    await openRevealLink(h.deps, 'junk');
    expect([readCode.mock.calls.length, markRevealed.mock.calls.length]).toEqual([1, 1]);
  });
});

describe('revealCode (POST)', () => {
  it('issues a link on the reveal route that stores the digest, never the token', async () => {
    const { h, link, token } = await linked();
    expect(link.url).toBe(`${REVEAL_BASE}/c/${token}`);
    expect(link.expiresAt).toBe('2025-03-31T10:00:00.000Z');
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', revealLinkExpiresAt: link.expiresAt });
    expect(JSON.stringify([...h.world.revealGrants])).not.toContain(token);
    expect([...h.world.revealGrants.values()]).toEqual([expect.objectContaining({ unitId: 'L1#1', sku: SKU, codeId: 'CODE-A', locale: 'ar', orderReference: 'REF-O1', productName: 'Gift card 50', issuedAt: T0 })]);
  });

  it('shows the code once, in the order\'s language; the next visit is told it was shown', async () => {
    const { h, token } = await linked();
    h.clock.advanceSeconds(60);
    expect(await revealCode(h.deps, token)).toEqual({
      view: { state: 'REVEAL', orderReference: 'REF-O1', productName: 'Gift card 50', code: { code: 'CODE-A', pin: 'pin-of-CODE-A' } },
      locale: 'ar',
      unit: { storeId: 'store-1', orderId: 'O1', unitId: 'L1#1' },
    });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.revealedAt).toBe('2025-03-01T10:01:00.000Z');
    const before = snapshot(h);
    expect(await revealCode(h.deps, token)).toMatchObject({ view: { state: 'ALREADY_REVEALED', orderReference: 'REF-O1' }, locale: 'ar' });
    expect(snapshot(h)).toBe(before);
  });

  it('a second link of the same unit (a retried send) does not show the code again', async () => {
    const { h, unit: delivered, token } = await linked();
    const second = await h.revealLinks.issue(delivered, facts);
    await revealCode(h.deps, token);
    expect((await revealCode(h.deps, tokenOf(second))).view.state).toBe('ALREADY_REVEALED');
  });

  it.each([
    ['a malformed token', 'not-a-token'],
    ['an unknown token', 'A'.repeat(24)],
    ['an empty path', ''],
  ])('%s: NOT_FOUND with nothing to tell it apart, and no write', async (_what, token) => {
    const { h } = await linked();
    const before = snapshot(h);
    expect(await revealCode(h.deps, token)).toEqual({ view: { state: 'NOT_FOUND' } });
    expect(snapshot(h)).toBe(before);
  });

  it('after the link expired: EXPIRED, the code never read out, and no write', async () => {
    const { h, token } = await linked();
    h.clock.advanceSeconds(720 * 3600);
    const before = snapshot(h);
    expect(await revealCode(h.deps, token)).toEqual({ view: { state: 'EXPIRED', orderReference: 'REF-O1' }, locale: 'ar', unit: { storeId: 'store-1', orderId: 'O1', unitId: 'L1#1' } });
    expect(snapshot(h)).toBe(before);
  });

  it('a unit whose code went back to stock (refunded before the visit): EXPIRED, no code', async () => {
    const { h, token } = await linked();
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: T0 });
    expect(await h.claims.returnUnrevealed(h.world.unit('store-1', 'O1', 'L1#1')!)).toBe(true);
    const answer = await revealCode(h.deps, token);
    expect(answer.view).toEqual({ state: 'EXPIRED', orderReference: 'REF-O1' });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.revealedAt).toBeUndefined();
  });

  it('the reveal may beat the sender\'s markDelivered: a committed RESERVED unit reveals', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim(unit(), 'NEW', { owner: 'w', until: '2025-03-01T10:01:00.000Z' });
    const reserved = h.world.unit('store-1', 'O1', 'L1#1')!;
    const link = await h.revealLinks.issue(reserved, facts);
    expect((await revealCode(h.deps, tokenOf(link))).view.state).toBe('REVEAL');
    expect(await h.sends.markDelivered(reserved, T0, { channel: 'whatsapp', revealLinkExpiresAt: link.expiresAt })).toBe(true);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', revealedAt: T0 });
  });
});
