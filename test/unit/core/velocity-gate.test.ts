// Velocity limits: per customer identity (phone, e-mail) and SKU, charged once per order before its
// first claim; over the limit the whole order is held with one alert, and the merchant's release stands.
import { deliverOrder as deliver } from '#core/deliver-order';
import { releaseOrder } from '#core/hold-order';
import type { SkuConfig } from '#core/model';
import type { SendContext } from '#core/send-unit';
import { customerIdentities, maskedIdentity, normalisedEmail, velocityGate, type VelocityGateDeps } from '#core/velocity-gate';
import { harness, orderMessage } from '#test/fakes/harness';
import { FakeVelocityLedger } from '#test/fakes/velocity';

const SKU = 'CARD-50';
const ctx: SendContext = { owner: 'worker-1', finalAttempt: false, counters: { takeovers: 0, channelFailures: 0 } };

function setup(defaults = { maxCodes: 3, windowHours: 24 }, skus: Record<string, Partial<SkuConfig>> = {}) {
  const h = harness();
  const ledger = new FakeVelocityLedger();
  const deps = { ...h.deps, velocity: { ledger, defaults, skuConfig: async (sku: string) => (skus[sku] ? ({ sku, threshold: 0, reorderQuantity: 1, ...skus[sku] } as SkuConfig) : undefined) } };
  h.stock.seedCodes(SKU, ...Array.from({ length: 20 }, (_, i) => `CODE-${i}`));
  return { h, deps, ledger };
}

describe('customer identities', () => {
  it('counts a customer by phone and by e-mail, folding plus-addressing, case and Gmail dots', () => {
    expect(customerIdentities({ phone: '+966500000001', email: ' Sara.Q+promo@GMail.com ' })).toEqual(['phone:+966500000001', 'email:saraq@gmail.com']);
    expect(normalisedEmail('a.b+x@googlemail.com')).toBe('ab@gmail.com');
    // Elsewhere a +tag may be another mailbox: left as it is.
    expect(normalisedEmail('john+smith@corp.example')).toBe('john+smith@corp.example');
    expect(normalisedEmail('x+1@Outlook.com')).toBe('x@outlook.com');
    expect(normalisedEmail('ab@gmail.com.')).toBe('ab@gmail.com');
    expect(normalisedEmail('+x@gmail.com')).toBe('+x@gmail.com');
    expect(normalisedEmail('@example.sa')).toBeUndefined();
    expect(normalisedEmail('a@')).toBeUndefined();
    expect(customerIdentities({ phone: '+96650', invalidPhone: true })).toEqual([]);
  });

  it('masks an identity for the merchant alert', () => {
    expect(maskedIdentity('phone:+966500000001')).toBe('+9665•••••001');
    expect(maskedIdentity('email:sara@example.sa')).toBe('s•••@example.sa');
  });
});

describe('velocityGate in the delivery', () => {
  it('delivers up to the limit, then holds the order that would pass it, no code taken, one alert', async () => {
    const { h, deps } = setup();
    expect(await deliver(deps, orderMessage('O1', SKU, 2), ctx)).toMatchObject({ delivered: 2 });
    expect(await deliver(deps, orderMessage('O2', SKU, 1), ctx)).toMatchObject({ delivered: 1 });
    expect(await deliver(deps, orderMessage('O3', SKU, 1), ctx)).toMatchObject({ delivered: 0, held: 1 });
    expect((await h.orders.getOrder('store-1', 'O3'))?.hold).toMatchObject({ reason: 'VELOCITY_LIMIT' });
    expect(h.world.unit('store-1', 'O3', 'L1#1')).toBeUndefined();
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 17, DELIVERED: 3 });
    const alerts = h.alerts.published.filter((a) => a.type === 'ORDER_HELD');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('+9665•••••001 would get 1 more code(s) of CARD-50, with 3 already in this 24 h window (the limit is 3 per customer)');
    expect(alerts[0].message).toContain('orders release --store store-1 --order O3');
    expect(alerts[0].message).not.toContain('+966500000001');
  });

  it('counts a retried message once: the same order delivered again is not charged again', async () => {
    const { deps, ledger } = setup();
    await deliver(deps, orderMessage('O1', SKU, 2), ctx);
    // A crash after the charge and before any unit: the retry finds no unit, charges again, and is let through.
    const order = await deps.orders.getOrder('store-1', 'O1');
    expect(await velocityGate(deps, order!, orderMessage('O1', SKU, 2))).toBe('GO');
    expect(await deliver(deps, orderMessage('O2', SKU, 1), ctx)).toMatchObject({ delivered: 1 });
    expect([...ledger.counters.values()].map((c) => c.codes)).toEqual([3]);
  });

  it('counts in the window of the payment, not of the attempt: a retry after the boundary is the same charge', async () => {
    const { h, deps, ledger } = setup({ maxCodes: 3, windowHours: 1 });
    const message = orderMessage('O1', SKU, 2);
    const order = await deps.orders.ensureOrder({ ...message, unitCount: 2 });
    expect(await velocityGate(deps, order, message)).toBe('GO');
    h.clock.advanceSeconds(7200);
    expect(await velocityGate(deps, order, message)).toBe('GO');
    expect([...ledger.counters.values()].map((c) => c.codes)).toEqual([2]);
  });

  it('a cancelled order is neither asked about nor counted', async () => {
    const { h, deps, ledger } = setup();
    // The cancel came first (a stub order), then the paid message.
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', at: h.clock.now().toISOString() });
    expect(await deliver(deps, orderMessage('O1', SKU, 2), ctx)).toMatchObject({ cancelled: 2 });
    expect(ledger.charges).toBe(0);
  });

  it('after a payment release and then a velocity release, neither check holds it again (no order left without a hold)', async () => {
    const { h, deps } = setup({ maxCodes: 1, windowHours: 24 });
    await deliver(deps, orderMessage('O0', SKU, 1), ctx);
    const message = orderMessage('O1', SKU, 1);
    await h.orders.ensureOrder({ ...message, unitCount: 1 });
    await h.orders.holdOrder('store-1', 'O1', { reason: 'PAYMENT_MISMATCH', detail: 'test', at: h.clock.now().toISOString(), lines: message.lines });
    await releaseOrder(deps, 'store-1', 'O1');
    expect(await deliver(deps, message, ctx)).toMatchObject({ held: 1 });
    expect((await h.orders.getOrder('store-1', 'O1'))?.hold?.reason).toBe('VELOCITY_LIMIT');
    await releaseOrder(deps, 'store-1', 'O1');
    expect((await h.orders.getOrder('store-1', 'O1'))?.releasedReasons).toEqual(['PAYMENT_MISMATCH', 'VELOCITY_LIMIT']);
    expect(await deliver(deps, message, ctx)).toMatchObject({ delivered: 1 });
  });

  it('one order over the limit on its own is held', async () => {
    const { deps } = setup();
    expect(await deliver(deps, orderMessage('O1', SKU, 4), ctx)).toMatchObject({ held: 4 });
  });

  it('another e-mail does not help a phone over its limit, nor another phone an e-mail', async () => {
    const { deps } = setup();
    await deliver(deps, orderMessage('O1', SKU, 3, { customer: { phone: '+966500000001', email: 'a@example.sa' } }), ctx);
    expect(await deliver(deps, orderMessage('O2', SKU, 1, { customer: { phone: '+966500000001', email: 'b@example.sa' } }), ctx)).toMatchObject({ held: 1 });
    expect(await deliver(deps, orderMessage('O3', SKU, 1, { customer: { phone: '+966500000009', email: 'A@Example.sa' } }), ctx)).toMatchObject({ held: 1 });
    expect(await deliver(deps, orderMessage('O4', SKU, 1, { customer: { phone: '+966500000009', email: 'c@example.sa' } }), ctx)).toMatchObject({ delivered: 1 });
  });

  it('the window resets: the next window starts at zero', async () => {
    const { h, deps } = setup({ maxCodes: 2, windowHours: 1 });
    await deliver(deps, orderMessage('O1', SKU, 2), ctx);
    expect(await deliver(deps, orderMessage('O2', SKU, 1), ctx)).toMatchObject({ held: 1 });
    h.clock.advanceSeconds(3600);
    expect(await deliver(deps, orderMessage('O3', SKU, 1, { receivedAt: h.clock.now().toISOString() }), ctx)).toMatchObject({ delivered: 1 });
  });

  it("a SKU's own limit wins; maxCodes 0 exempts it; a deployment default of 0 turns the check off", async () => {
    const exempt = setup({ maxCodes: 1, windowHours: 24 }, { [SKU]: { velocity: { maxCodes: 0, windowHours: 24 } } });
    expect(await deliver(exempt.deps, orderMessage('O1', SKU, 5), ctx)).toMatchObject({ delivered: 5 });
    expect(exempt.ledger.charges).toBe(0);
    const own = setup({ maxCodes: 1, windowHours: 24 }, { [SKU]: { velocity: { maxCodes: 5, windowHours: 24 } } });
    expect(await deliver(own.deps, orderMessage('O1', SKU, 5), ctx)).toMatchObject({ delivered: 5 });
    const off = setup({ maxCodes: 0, windowHours: 24 });
    expect(await deliver(off.deps, orderMessage('O1', SKU, 10), ctx)).toMatchObject({ delivered: 10 });
    expect(off.ledger.charges).toBe(0);
  });

  it("the merchant's release delivers the held order without counting it again, and a duplicate message does not hold it twice", async () => {
    const { h, deps, ledger } = setup();
    await deliver(deps, orderMessage('O1', SKU, 3), ctx);
    expect(await deliver(deps, orderMessage('O2', SKU, 2), ctx)).toMatchObject({ held: 2 });
    expect(await deliver(deps, orderMessage('O2', SKU, 2), ctx)).toMatchObject({ held: 2 });
    expect(h.alerts.published.filter((a) => a.type === 'ORDER_HELD')).toHaveLength(1);
    const released = await releaseOrder(deps, 'store-1', 'O2');
    expect(released.orderReleased).toBe(true);
    const charges = ledger.charges;
    expect(await deliver(deps, h.queue.sent.at(-1) as never, ctx)).toMatchObject({ delivered: 2 });
    expect(ledger.charges).toBe(charges);
  });

  it('without the velocity port (benchmarks of the core) nothing is charged', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A', 'B', 'C', 'D');
    const deps: VelocityGateDeps = h.deps;
    expect(await deliver(h.deps, orderMessage('O1', SKU, 4), ctx)).toMatchObject({ delivered: 4 });
    expect(deps.velocity).toBeUndefined();
  });
});
