// fillBackorders: one filler per SKU walks the FIFO oldest first and stops at the first stock-out.
import { deliverOrder as deliver } from '#core/deliver-order';
import { fillBackorders } from '#core/fill-backorders';
import { harness, orderMessage, type Harness } from '#test/fakes/harness';

const deliverOrder = (deps: Parameters<typeof deliver>[0], message: Parameters<typeof deliver>[1]) => deliver(deps, message, { owner: 'worker-1', finalAttempt: false });

const SKU = 'CARD-50';
const at = (minute: number) => `2025-03-01T09:${String(minute).padStart(2, '0')}:00.000Z`;

/** Backorders orders O1..On (oldest first), `units[i]` units each, with no stock. */
async function backordered(h: Harness, units: number[]) {
  for (const [i, quantity] of units.entries()) await deliverOrder(h.deps, orderMessage(`O${i + 1}`, SKU, quantity, { receivedAt: at(i) }));
  h.channel.sent.length = 0;
}

describe('fillBackorders', () => {
  it('does nothing, and takes no lease, when the SKU has no backorders', async () => {
    const h = harness();
    const acquire = jest.spyOn(h.leases, 'acquire');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: false });
    expect(acquire).not.toHaveBeenCalled();
  });

  it('skips while another filler holds the lease', async () => {
    const h = harness();
    await backordered(h, [1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    h.leases.holders.set(SKU, { owner: 'someone-else', expiresAtMs: Date.now() + 60_000 });
    const claim = jest.spyOn(h.claims, 'claim');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: false, skipped: 'LEASE_HELD' });
    expect(claim).not.toHaveBeenCalled();
  });

  it('claims for a page in one call, oldest first, and for what the stock covers of the next', async () => {
    const h = harness();
    await backordered(h, Array.from({ length: 30 }, () => 1));
    h.stock.seedCodes(SKU, ...Array.from({ length: 28 }, (_, i) => `CODE-${i}`));
    const claimWaiting = jest.spyOn(h.claims, 'claimWaiting');
    expect(await fillBackorders(h.deps, SKU)).toMatchObject({ reserved: 28, outOfStock: true });
    // A page of 25, then the last 5 against 3 codes: the two paid last wait, untried after the stock-out.
    expect(claimWaiting.mock.calls.map(([units]) => units.map((u) => u.orderId))).toEqual([
      Array.from({ length: 25 }, (_, i) => `O${i + 1}`),
      ['O26', 'O27', 'O28', 'O29', 'O30'],
    ]);
    expect(h.queue.sent.map((m) => (m as { orderId: string }).orderId)).toEqual(Array.from({ length: 28 }, (_, i) => `O${i + 1}`));
    expect([...h.world.units.values()].filter((u) => u.state === 'BACKORDERED').map((u) => u.orderId)).toEqual(['O29', 'O30']);
    expect((await h.backorders.oldestBackorders(SKU, 10)).map((e) => e.orderId)).toEqual(['O29', 'O30']);
  });

  it('reserves oldest first, stops at the first stock-out, and sends RESUME in FIFO order', async () => {
    const h = harness();
    // O1 has two units; O3 was paid last and must keep waiting.
    await backordered(h, [2, 1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B', 'CODE-C');
    const report = await fillBackorders(h.deps, SKU);
    expect(report).toEqual({ reserved: 3, outOfStock: true });
    expect(h.queue.sent).toEqual([
      { kind: 'RESUME', storeId: 'store-1', orderId: 'O1' },
      { kind: 'RESUME', storeId: 'store-1', orderId: 'O2' },
    ]);
    expect(h.world.unit('store-1', 'O1', 'L1#2')?.state).toBe('RESERVED');
    expect(h.world.unit('store-1', 'O3', 'L1#1')?.state).toBe('BACKORDERED');
    expect((await h.backorders.oldestBackorders(SKU, 10)).map((e) => e.orderId)).toEqual(['O3']);
    expect(h.leases.holders.size).toBe(0);
  });

  it('fills everything when stock suffices, and is not out of stock', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B', 'CODE-C');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 2, outOfStock: false });
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
    expect(h.queue.sent.map((m) => m.orderId)).toEqual(['O1', 'O2']);
  });

  it('removes stale entries (unit cancelled or gone) without reserving a code for them', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    const o1 = h.world.unit('store-1', 'O1', 'L1#1')!;
    o1.state = 'CANCELLED'; // cancelled, but its FIFO entry was left behind
    h.world.units.delete('store-1/O2/L1#1'); // entry with no unit at all
    h.stock.seedCodes(SKU, 'CODE-A');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: false });
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
    expect(h.queue.sent).toEqual([]);
  });

  it('drops the entry of a unit that is no longer backordered when it tries to claim (UNIT_TAKEN)', async () => {
    const h = harness();
    await backordered(h, [1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    // Between the read and the claim the unit left BACKORDERED (its FIFO entry is still there).
    jest.spyOn(h.claims, 'claim').mockImplementationOnce(async (unit) => {
      h.world.unit(unit.storeId, unit.orderId, unit.unitId)!.state = 'CANCELLED';
      return { result: 'UNIT_TAKEN' };
    });
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: false });
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
    expect(h.queue.sent).toEqual([]);
  });

  it('releases the lease when claiming throws', async () => {
    expect.assertions(2);
    const h = harness();
    await backordered(h, [1]);
    jest.spyOn(h.claims, 'claim').mockRejectedValueOnce(new Error('table unreachable'));
    await expect(fillBackorders(h.deps, SKU)).rejects.toThrow('table unreachable');
    expect(h.leases.holders.size).toBe(0);
  });

  it('walks more than one page of 25', async () => {
    const h = harness();
    await backordered(h, Array.from({ length: 30 }, () => 1));
    h.stock.seedCodes(SKU, ...Array.from({ length: 30 }, (_, i) => `CODE-${i}`));
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 30, outOfStock: false });
    expect(h.queue.batches.map((b) => b.length)).toEqual([25, 5]);
    expect(h.queue.sent.map((m) => m.orderId)).toEqual(Array.from({ length: 30 }, (_, i) => `O${i + 1}`));
  });

  it('a RESUME lost to a queue failure is sent when the fill is retried', async () => {
    const h = harness();
    await backordered(h, [1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    h.queue.failures = 1;
    await expect(fillBackorders(h.deps, SKU)).rejects.toThrow('queue down');
    await fillBackorders(h.deps, SKU); // the stream batch is retried
    expect(h.queue.sent).toContainEqual({ kind: 'RESUME', storeId: 'store-1', orderId: 'O1' });
  });

  it('keeps the FIFO entries of a page until its RESUME messages are on the queue', async () => {
    expect.assertions(4);
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    h.queue.failures = 1;
    await expect(fillBackorders(h.deps, SKU)).rejects.toThrow('queue down');
    // Both units are reserved, and both stay visible as backorders for the next pass.
    expect((await h.backorders.oldestBackorders(SKU, 10)).map((e) => e.orderId)).toEqual(['O1', 'O2']);
    expect(h.world.unit('store-1', 'O2', 'L1#1')?.state).toBe('RESERVED');
    expect(h.leases.holders.size).toBe(0);
  });

  it('removes the entries only after sending the page', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    const send = jest.spyOn(h.queue, 'sendMany');
    const remove = jest.spyOn(h.backorders, 'removeBackorderEntries');
    await fillBackorders(h.deps, SKU);
    // The page's two entries in one call, after its RESUME messages.
    expect(remove.mock.calls.map(([entries]) => entries.map((e) => e.orderId))).toEqual([['O1', 'O2']]);
    expect(remove.mock.invocationCallOrder[0]).toBeGreaterThan(send.mock.invocationCallOrder[0]);
  });

  it('resumes a unit a crashed pass left RESERVED, without claiming a second code', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
    // A previous pass reserved O1 and died before its RESUME went out: the entry is still there.
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    const claim = jest.spyOn(h.claims, 'claim');

    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 1, outOfStock: false });
    expect(claim.mock.calls.map(([unit]) => unit.orderId)).toEqual(['O2']);
    expect(h.queue.sent).toEqual([
      { kind: 'RESUME', storeId: 'store-1', orderId: 'O1' },
      { kind: 'RESUME', storeId: 'store-1', orderId: 'O2' },
    ]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', codeId: 'CODE-A' });
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
  });

  it('resumes a unit a crashed pass left RESERVED even once the SKU is out of stock, with no read before a claim for the rest', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    const claim = jest.spyOn(h.claims, 'claim');
    const getUnit = jest.spyOn(h.orders, 'getUnit');

    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: true });
    // O1's entry is marked reserved: read and resumed, not claimed for; O2's goes straight to the claim.
    expect(claim.mock.calls.map(([unit]) => unit.orderId)).toEqual(['O2']);
    expect(getUnit.mock.calls.map(([ref]) => ref.orderId)).toEqual(['O1']);
    expect(h.queue.sent).toEqual([{ kind: 'RESUME', storeId: 'store-1', orderId: 'O1' }]);
    expect((await h.backorders.oldestBackorders(SKU, 10)).map((e) => e.orderId)).toEqual(['O2']);
  });

  it('cancels the backorder of a cancelled order instead of reserving for it, and serves the next one', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    // O1 was cancelled, but its cancel message has not cancelled the unit yet.
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', at: at(30) });
    const cancelBackorder = jest.spyOn(h.backorders, 'cancelBackorder');

    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 1, outOfStock: false });
    expect(cancelBackorder).toHaveBeenCalledWith(expect.objectContaining({ orderId: 'O1', unitId: 'L1#1' }));
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(h.world.unit('store-1', 'O2', 'L1#1')).toMatchObject({ state: 'RESERVED', codeId: 'CODE-A' });
    expect(h.queue.sent).toEqual([{ kind: 'RESUME', storeId: 'store-1', orderId: 'O2' }]);
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
  });

  it('runs another pass when codes arrived while it was out of stock', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    // A restock landed while this filler held the lease; its own wake-up found the lease held and left.
    const release = h.leases.release.bind(h.leases);
    jest.spyOn(h.leases, 'release').mockImplementationOnce(async (sku, owner) => {
      h.stock.seedCodes(SKU, 'CODE-B');
      return release(sku, owner);
    });
    const acquire = jest.spyOn(h.leases, 'acquire');

    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 2, outOfStock: false });
    expect(acquire).toHaveBeenCalledTimes(2);
    expect(h.queue.sent.map((m) => m.orderId)).toEqual(['O1', 'O2']);
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
  });

  it('stops after one pass when the SKU really has nothing left', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    const acquire = jest.spyOn(h.leases, 'acquire');
    const count = jest.spyOn(h.stock, 'countAvailable');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 1, outOfStock: true });
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(count).toHaveBeenCalledWith(SKU, 1);
  });

  it('gives up after 3 passes when the index keeps showing stock it cannot claim', async () => {
    const h = harness();
    await backordered(h, [1]);
    jest.spyOn(h.stock, 'countAvailable').mockResolvedValue(1); // a lagging index
    const acquire = jest.spyOn(h.leases, 'acquire');
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 0, outOfStock: true });
    expect(acquire).toHaveBeenCalledTimes(3);
    expect(h.leases.holders.size).toBe(0);
  });

  it('a later pass that finds the lease held returns what it reserved, not LEASE_HELD', async () => {
    const h = harness();
    await backordered(h, [1, 1]);
    h.stock.seedCodes(SKU, 'CODE-A');
    const release = h.leases.release.bind(h.leases);
    jest.spyOn(h.leases, 'release').mockImplementationOnce(async (sku, owner) => {
      await release(sku, owner);
      h.stock.seedCodes(SKU, 'CODE-B');
      h.leases.holders.set(SKU, { owner: 'the-other-waker', expiresAtMs: Date.now() + 60_000 }); // it will fill O2
    });
    expect(await fillBackorders(h.deps, SKU)).toEqual({ reserved: 1, outOfStock: true });
  });
});
