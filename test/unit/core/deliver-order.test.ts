// deliverOrder / resumeOrder: one code per unit, resumed from stored state, or a visible backorder.
import { ChannelError } from '#core/errors';
import { deliverOrder as deliver, resumeOrder as resume, type DeliveryReport } from '#core/deliver-order';
import type { SendContext } from '#core/send-unit';
import { harness, orderMessage, T0 } from '#test/fakes/harness';

const SKU = 'CARD-50';
const ctx = (owner = 'worker-1'): SendContext => ({ owner, finalAttempt: false, counters: { takeovers: 0, channelFailures: 0 } });
const deliverOrder = (deps: Parameters<typeof deliver>[0], message: Parameters<typeof deliver>[1]) => deliver(deps, message, ctx());
const resumeOrder = async (deps: Parameters<typeof resume>[0], storeId: string, orderId: string) => (await resume(deps, storeId, orderId, ctx())).delivered;
const report = (counts: Partial<DeliveryReport>): DeliveryReport => ({ delivered: 0, backordered: 0, cancelled: 0, held: 0, inProgress: 0, retryLater: 0, backorderedBySku: {}, ...counts });

describe('deliverOrder', () => {
  it('claims a code per unit, sends it to the customer and records the delivery', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B', 'CODE-C');
    const result = await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    expect(result).toEqual(report({ delivered: 2 }));
    expect(h.channel.sent.map((m) => [m.kind, m.ref, m.to.phone])).toEqual([
      ['CODE', 'store-1/O1/L1#1', '+966500000001'],
      ['CODE', 'store-1/O1/L1#2', '+966500000001'],
    ]);
    expect(h.channel.sent[0].body).toContain('Code: CODE-A');
    expect(h.channel.sent[0].body).toContain('REF-O1');
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', codeId: 'CODE-A', deliveredAt: T0 });
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 2, REVOKED: 0 });
    expect(h.alerts.published).toEqual([]);
  });

  it('the first message to ensure its order does not query for units (none can exist); a retry does, and classic always does', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    const listUnits = jest.spyOn(h.orders, 'listUnits');
    const message = orderMessage('O1', SKU, 1);
    expect(await deliverOrder(h.deps, message)).toMatchObject({ delivered: 1 });
    expect(listUnits).not.toHaveBeenCalled();
    // The same message again: its unit is found and nothing is sent twice.
    expect(await deliverOrder(h.deps, message)).toMatchObject({ delivered: 1 });
    expect(listUnits).toHaveBeenCalledTimes(1);
    expect(h.channel.sent).toHaveLength(1);

    const classic = { ...h.deps, delivery: { ...h.deps.delivery, path: 'classic' as const } };
    expect(await deliverOrder(classic, orderMessage('O2', SKU, 1))).toMatchObject({ delivered: 1 });
    expect(listUnits).toHaveBeenCalledTimes(2);
  });

  it('resumes a RESERVED unit (crash after the claim) without claiming again', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    const message = orderMessage('O1', SKU, 1);
    await h.orders.ensureOrder(message);
    await h.claims.claim({ storeId: 'store-1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: T0 }, 'NEW');
    const claim = jest.spyOn(h.claims, 'claim');

    expect(await deliverOrder(h.deps, message)).toMatchObject({ delivered: 1 });
    expect(claim).not.toHaveBeenCalled();
    expect(h.channel.sent).toHaveLength(1);
    expect(h.channel.sent[0].body).toContain('CODE-A');
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('DELIVERED');
    expect(h.world.codes.get('CODE-B')?.status).toBe('AVAILABLE');
  });

  it('a crash between the code and the unit write of markDelivered: the retry re-sends the same code and finishes the unit', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    const message = orderMessage('O1', SKU, 1);
    h.sends.failMarkDeliveredAfterCode = true;
    // The process is gone after the code write: the in-invocation retries of the record fail too.
    const original = h.sends.markDelivered.bind(h.sends);
    const dead = jest.spyOn(h.sends, 'markDelivered').mockImplementationOnce(original).mockRejectedValue(new Error('process gone'));
    await expect(deliverOrder(h.deps, message)).rejects.toThrow('process gone');
    dead.mockRestore();
    // The customer has the code; the code is DELIVERED, its unit still RESERVED (committed to sending).
    expect(h.world.codes.get('CODE-A')?.status).toBe('DELIVERED');
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', codeId: 'CODE-A' });

    // The lease of the crashed attempt must run out before the retry may send again.
    h.clock.advanceSeconds(61);
    expect(await deliverOrder(h.deps, message)).toMatchObject({ delivered: 1 });
    expect(h.channel.sent.map((m) => m.body.includes('CODE-A'))).toEqual([true, true]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', codeId: 'CODE-A', deliveredAt: '2025-03-01T10:01:01.000Z' });
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 1, REVOKED: 0 });
  });

  it('a duplicate message after delivery sends nothing and claims nothing', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    const claim = jest.spyOn(h.claims, 'claim');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toMatchObject({ delivered: 1 });
    expect(claim).not.toHaveBeenCalled();
    expect(h.channel.sent).toHaveLength(1);
  });

  it('writes CANCELLED units for an order cancelled before its paid message', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', at: T0 });
    const claim = jest.spyOn(h.claims, 'claim');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 2))).toEqual(report({ cancelled: 2 }));
    expect(claim).not.toHaveBeenCalled();
    expect(h.world.unit('store-1', 'O1', 'L1#2')?.state).toBe('CANCELLED');
    expect(h.channel.sent).toEqual([]);
  });

  it('backorders what is out of stock: one notice without a code, one merchant alert', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 3))).toEqual(report({ delivered: 1, backordered: 2, backorderedBySku: { [SKU]: 2 } }));
    const notices = h.channel.sent.filter((m) => m.kind === 'BACKORDER');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ ref: 'store-1/O1', locale: 'en' });
    expect(`${notices[0].subject}${notices[0].body}`).not.toContain('CODE-A');
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'OUT_OF_STOCK', sku: SKU, storeId: 'store-1', orderId: 'O1', details: { units: 2 } })]);
    expect(await h.backorders.oldestBackorders(SKU, 10)).toHaveLength(2);
  });

  it('sends the backorder notice once, even when the message is delivered again', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    expect(h.channel.sent.filter((m) => m.kind === 'BACKORDER')).toHaveLength(1);
    expect(h.alerts.published).toHaveLength(1);
  });

  it('joins the back of the queue while the SKU has backorders, even with stock on hand', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1, { receivedAt: '2025-03-01T09:00:00.000Z' }));
    h.stock.seedCodes(SKU, 'CODE-A');
    const claim = jest.spyOn(h.claims, 'claim');
    expect(await deliverOrder(h.deps, orderMessage('O2', SKU, 1))).toMatchObject({ delivered: 0, backordered: 1 });
    expect(claim).not.toHaveBeenCalled();
    expect((await h.backorders.oldestBackorders(SKU, 10)).map((e) => e.orderId)).toEqual(['O1', 'O2']);
  });

  it('releases the notice when the channel fails transiently, so the retry can send it', async () => {
    expect.assertions(4);
    const h = harness();
    h.channel.failures = 1;
    h.channel.failWith = () => new ChannelError('provider down', 'TRANSIENT', 'HTTP_503');
    await expect(deliverOrder(h.deps, orderMessage('O1', SKU, 1))).rejects.toThrow('provider down');
    expect(h.world.orders.get('store-1/O1')?.backorderNotifiedAt).toBeUndefined();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    expect(h.channel.sent.filter((m) => m.kind === 'BACKORDER')).toHaveLength(1);
    expect(h.world.orders.get('store-1/O1')?.backorderNotifiedAt).toBe(T0);
  });

  it('a notice that may have gone out (unknown outcome) or never can (permanent) is not retried; the code still follows', async () => {
    for (const failure of ['UNKNOWN_OUTCOME', 'PERMANENT'] as const) {
      const h = harness();
      h.channel.failures = 1;
      h.channel.failWith = () => new ChannelError('no answer', failure, 'x');
      await expect(deliverOrder(h.deps, orderMessage('O1', SKU, 1))).resolves.toMatchObject({ backordered: 1 });
      expect(h.world.orders.get('store-1/O1')?.backorderNotifiedAt).toBe(T0);
      expect(h.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('notice could not be sent') }));
    }
  });

  it('still alerts the merchant when the first backorder notice failed and the message was retried', async () => {
    const h = harness();
    h.channel.failures = 1;
    h.channel.failWith = () => new ChannelError('provider down', 'TRANSIENT', 'HTTP_503');
    await expect(deliverOrder(h.deps, orderMessage('O1', SKU, 1))).rejects.toThrow('provider down');
    h.alerts.published.length = 0;
    // The retry backorders nothing new: the unit exists already. The alert counts it anyway.
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toEqual(report({ backordered: 1, backorderedBySku: { [SKU]: 1 } }));
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'OUT_OF_STOCK', sku: SKU, orderId: 'O1', details: { units: 1 } })]);
  });

  it('alerts the merchant before the customer hears of the backorder', async () => {
    const h = harness();
    const calls: string[] = [];
    jest.spyOn(h.alerts, 'publish').mockImplementation(async (alert) => void calls.push(`alert:${alert.type}`));
    jest.spyOn(h.channel, 'send').mockImplementation(async (message) => (calls.push(`customer:${message.kind}`), {}));
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    expect(calls).toEqual(['alert:OUT_OF_STOCK', 'customer:BACKORDER']);
  });

  it('when the alert fails: no customer notice, the notice claim is released and the error rethrown', async () => {
    expect.assertions(5);
    const h = harness();
    h.alerts.failures = 1;
    await expect(deliverOrder(h.deps, orderMessage('O1', SKU, 1))).rejects.toThrow('alerts down');
    expect(h.channel.sent).toEqual([]);
    expect(h.world.orders.get('store-1/O1')?.backorderNotifiedAt).toBeUndefined();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'OUT_OF_STOCK', sku: SKU })]);
    expect(h.channel.sent.map((m) => m.kind)).toEqual(['BACKORDER']);
  });

  it('alerts once per backordered SKU of the order', async () => {
    const h = harness();
    h.stock.seedCodes('CARD-10', 'TEN-A');
    const message = orderMessage('O1', SKU, 2, {
      lines: [
        { lineId: 'L1', productId: 'P1', sku: SKU, quantity: 2 },
        { lineId: 'L2', productId: 'P2', sku: 'CARD-10', quantity: 3 },
      ],
    });
    expect(await deliverOrder(h.deps, message)).toEqual(report({ delivered: 1, backordered: 4, backorderedBySku: { [SKU]: 2, 'CARD-10': 2 } }));
    expect(h.alerts.published.map((a) => [a.sku, a.details])).toEqual([
      [SKU, { units: 2 }],
      ['CARD-10', { units: 2 }],
    ]);
    expect(h.channel.sent.filter((m) => m.kind === 'BACKORDER')).toHaveLength(1);
  });

  it('a claim refused because the order was cancelled meanwhile writes a CANCELLED unit and keeps the code', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    // The cancel lands after ensureOrder read the order, before the claim.
    const realHas = h.backorders.hasBackorders.bind(h.backorders);
    jest.spyOn(h.backorders, 'hasBackorders').mockImplementationOnce(async (sku) => {
      await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', at: T0 });
      return realHas(sku);
    });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toMatchObject({ delivered: 0, cancelled: 1 });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
    expect(h.channel.sent).toEqual([]);
  });

  it('a backorder refused because the order was cancelled meanwhile writes a CANCELLED unit, no FIFO entry, no notice', async () => {
    const h = harness();
    const realHas = h.backorders.hasBackorders.bind(h.backorders);
    jest.spyOn(h.backorders, 'hasBackorders').mockImplementationOnce(async (sku) => {
      await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', at: T0 });
      return realHas(sku);
    });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toEqual(report({ cancelled: 1 }));
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
    expect(h.channel.sent).toEqual([]);
    expect(h.alerts.published).toEqual([]);
  });

  it('names the order by its id when it has no reference', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1, { reference: undefined }));
    expect(h.channel.sent[0].subject).toBe('Your code for order O1');
  });
});

describe('resumeOrder', () => {
  it('delivers only the RESERVED units of the order', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    h.stock.seedCodes(SKU, 'CODE-A');
    const first = (await h.orders.listUnits('store-1', 'O1'))[0];
    await h.claims.claim(first, 'BACKORDERED');
    h.channel.sent.length = 0;

    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(1);
    expect(h.channel.sent.map((m) => [m.kind, m.ref])).toEqual([['CODE', 'store-1/O1/L1#1']]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('DELIVERED');
    expect(h.world.unit('store-1', 'O1', 'L1#2')?.state).toBe('BACKORDERED');
  });

  it('commits a unit the filler reserved, under this sender\'s lease, before sending it', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.sendStartedAt).toBeUndefined();
    const commit = jest.spyOn(h.sends, 'acquireSend');
    const sent = jest.spyOn(h.channel, 'send');
    h.clock.advanceSeconds(30);

    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(1);
    expect(commit).toHaveBeenCalledWith(expect.objectContaining({ unitId: 'L1#1', codeId: 'CODE-A' }), { owner: 'worker-1', until: '2025-03-01T10:01:30.000Z' }, '2025-03-01T10:00:30.000Z');
    expect(commit.mock.invocationCallOrder[0]).toBeLessThan(sent.mock.invocationCallOrder.at(-1)!);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', sendStartedAt: '2025-03-01T10:00:30.000Z' });
  });

  it('a unit claimed by the delivery itself keeps its commit; the lease alone decides who sends', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    const message = orderMessage('O1', SKU, 1);
    await h.orders.ensureOrder(message);
    await h.claims.claim({ storeId: 'store-1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: T0 }, 'NEW');
    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(1);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', sendStartedAt: T0 });
  });

  it('releases the code instead of sending it when the order was cancelled after the filler reserved it', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: T0 });
    h.channel.sent.length = 0;

    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(0);
    expect(h.channel.sent).toEqual([]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'CANCELLED' });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.codeId).toBeUndefined();
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
  });

  it('a duplicate paid message for a unit the filler reserved goes through the same commit', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: T0 });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toMatchObject({ delivered: 0, cancelled: 1 });
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
    expect(h.channel.sent.filter((m) => m.kind === 'CODE')).toEqual([]);
  });

  it('a sender that lost the commit to another does not send, and does not release the code being sent', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    // Another RESUME committed first (and holds the lease); then the order was cancelled; then this one tries.
    await h.sends.acquireSend(h.world.unit('store-1', 'O1', 'L1#1')!, { owner: 'other', until: '2025-03-01T10:01:00.000Z' }, T0);
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: T0 });
    const stale = { ...h.world.unit('store-1', 'O1', 'L1#1')!, sendStartedAt: undefined };
    jest.spyOn(h.orders, 'listUnits').mockResolvedValueOnce([stale]);
    h.channel.sent.length = 0;

    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(0);
    expect(h.channel.sent).toEqual([]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', codeId: 'CODE-A', sendStartedAt: T0 });
    expect(h.world.codes.get('CODE-A')?.status).toBe('RESERVED');
  });

  it.each([
    ['delivered by another sender', 'DELIVERED', 1],
    ['released by the cancellation', 'CANCELLED', 0],
  ] as const)('a unit no longer RESERVED when committing (%s) is not sent again', async (_name, state, delivered) => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    const listed = await h.orders.listUnits('store-1', 'O1');
    h.world.unit('store-1', 'O1', 'L1#1')!.state = state;
    jest.spyOn(h.orders, 'listUnits').mockResolvedValueOnce(listed);
    h.channel.sent.length = 0;

    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(delivered);
    expect(h.channel.sent).toEqual([]);
  });

  it('throws for an unknown order', async () => {
    const h = harness();
    await expect(resumeOrder(h.deps, 'store-1', 'nope')).rejects.toThrow('Order store-1/nope not found');
  });
});
