// An authenticated platform event → at most one orders-queue message, after product mapping.
import { QueueUnavailableError } from '#core/errors';
import { ingestWebhook as ingest, type IngestDeps } from '#core/ingest-webhook';
import { DEFAULT_ORDER_LIMITS } from '#core/limits';
import type { PlatformOrder, WebhookIntent } from '#core/model';
import { FakeCatalog } from '#test/fakes/catalog';
import { FakeDedupe, RecordingOrderQueue } from '#test/fakes/recorders';
import { T0 } from '#test/fakes/harness';

const now = () => new Date(T0);
let deliveries = 0;
/** Each call a new delivery (the dedupe has its own tests below). */
const ingestWebhook = (deps: IngestDeps, intent: WebhookIntent) => ingest(deps, intent, `delivery-${++deliveries}`);

function setup() {
  const catalog = new FakeCatalog();
  const orderQueue = new RecordingOrderQueue();
  const deps: IngestDeps = { catalog, orderQueue, now, dedupe: new FakeDedupe(), limits: DEFAULT_ORDER_LIMITS, maxMessageBytes: 250_000 };
  return { catalog, orderQueue, deps };
}

function paid(lines: PlatformOrder['lines'], extra: Partial<PlatformOrder> = {}): WebhookIntent {
  return {
    type: 'PAID_ORDER',
    order: { platform: 'salla', storeId: 'S1', orderId: 'O1', reference: 'R-1', locale: 'ar', customer: { name: 'Sara', phone: '+966500000001' }, lines, ...extra },
  };
}

describe('ingestWebhook', () => {
  it('prefers the variant mapping over the product mapping', async () => {
    const { catalog, orderQueue, deps } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-ANY', multiplier: 1 });
    await catalog.putProductMapping({ storeId: 'S1', productId: 'V100', variant: true, sku: 'CARD-100', multiplier: 1 });
    const result = await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P1', variantId: 'V100', quantity: 1 }]));
    expect(result).toEqual({ outcome: 'ENQUEUED', kind: 'ORDER', units: 1, unmappedLines: 0 });
    expect(orderQueue.sent).toHaveLength(1);
    expect(orderQueue.sent[0]).toMatchObject({ lines: [{ sku: 'CARD-100' }] });
    expect(catalog.lookups).toEqual([['P1', 'variant:V100']]);
  });

  it('keeps variant and product ids apart: a variant id equal to a mapped product id maps nothing', async () => {
    const { catalog, orderQueue, deps } = setup();
    // P-DEAR is a product of its own (an expensive card); a cheap product's variant happens to share its id.
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P-DEAR', sku: 'CARD-500', multiplier: 1 });
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P-CHEAP', sku: 'CARD-10', multiplier: 1 });
    await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P-CHEAP', variantId: 'P-DEAR', quantity: 1 }]));
    expect(orderQueue.sent[0]).toMatchObject({ lines: [{ sku: 'CARD-10' }] });
    // And a variant mapping is never taken for a product line of the same id.
    await catalog.putProductMapping({ storeId: 'S1', productId: 'V7', variant: true, sku: 'CARD-500', multiplier: 1 });
    const result = await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'V7', quantity: 1 }]));
    expect(result).toMatchObject({ outcome: 'IGNORED' });
  });

  it('falls back to the product mapping when the variant has none', async () => {
    const { catalog, orderQueue, deps } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-ANY', multiplier: 1 });
    await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P1', variantId: 'V-unknown', quantity: 2 }]));
    expect(orderQueue.sent[0]).toMatchObject({ lines: [{ sku: 'CARD-ANY', quantity: 2 }] });
  });

  it('applies the multiplier and sends one ORDER message with the mapped lines only', async () => {
    const { catalog, orderQueue, deps } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P3PACK', sku: 'CARD-10', multiplier: 3 });
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const result = await ingestWebhook(
      deps,
      paid([
        { lineId: 'L1', productId: 'P3PACK', quantity: 2, name: '3-pack' },
        { lineId: 'L2', productId: 'T-SHIRT', quantity: 1, name: 'Shirt' },
        { lineId: 'L3', productId: 'P1', quantity: 1 },
      ]),
    );
    expect(result).toEqual({ outcome: 'ENQUEUED', kind: 'ORDER', units: 7, unmappedLines: 1 });
    expect(orderQueue.sent).toEqual([
      {
        kind: 'ORDER',
        platform: 'salla',
        storeId: 'S1',
        orderId: 'O1',
        reference: 'R-1',
        locale: 'ar',
        customer: { name: 'Sara', phone: '+966500000001' },
        lines: [
          { lineId: 'L1', productId: 'P3PACK', sku: 'CARD-10', quantity: 6, name: '3-pack', ordered: 2 },
          { lineId: 'L3', productId: 'P1', sku: 'CARD-50', quantity: 1 },
        ],
        receivedAt: T0,
      },
    ]);
  });

  it('drops lines with no positive quantity', async () => {
    const { catalog, orderQueue, deps } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const result = await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P1', quantity: 0 }, { lineId: 'L2', productId: 'P1', quantity: 1 }]));
    expect(result).toMatchObject({ units: 1, unmappedLines: 1 });
    expect((orderQueue.sent[0] as { lines: unknown[] }).lines).toHaveLength(1);
  });

  it('IGNORED with nothing sent when no line maps to a digital product', async () => {
    const { catalog, orderQueue, deps } = setup();
    await catalog.putProductMapping({ storeId: 'OTHER-STORE', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const result = await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P1', quantity: 1 }]));
    expect(result).toEqual({ outcome: 'IGNORED', reason: 'no line maps to a digital product' });
    expect(orderQueue.sent).toEqual([]);
  });

  it('IGNORE: nothing looked up, nothing sent', async () => {
    const { catalog, orderQueue, deps } = setup();
    const result = await ingestWebhook(deps, { type: 'IGNORE', reason: 'not a paid order event' });
    expect(result).toEqual({ outcome: 'IGNORED', reason: 'not a paid order event' });
    expect(catalog.lookups).toEqual([]);
    expect(orderQueue.sent).toEqual([]);
  });

  it('CANCEL: one CANCEL message stamped with the receive time, no product lookup', async () => {
    const { catalog, orderQueue, deps } = setup();
    const result = await ingestWebhook(deps, { type: 'CANCEL', platform: 'zid', storeId: 'S1', orderId: 'O9', reason: 'refunded' });
    expect(result).toEqual({ outcome: 'ENQUEUED', kind: 'CANCEL', units: 0, unmappedLines: 0 });
    expect(orderQueue.sent).toEqual([{ kind: 'CANCEL', platform: 'zid', storeId: 'S1', orderId: 'O9', reason: 'refunded', receivedAt: T0 }]);
    expect(catalog.lookups).toEqual([]);
  });

  it('lets a queue failure through to the caller', async () => {
    const { catalog, deps } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const failing = { ...deps, orderQueue: { send: jest.fn().mockRejectedValue(new QueueUnavailableError('down')), sendMany: jest.fn() } };
    await expect(ingestWebhook(failing, paid([{ lineId: 'L1', productId: 'P1', quantity: 1 }]))).rejects.toBeInstanceOf(QueueUnavailableError);
  });

  describe('limits: a paid order over them is HELD (200 for the platform), never enqueued as it is', () => {
    const mapped = async (deps: ReturnType<typeof setup>, multiplier = 1) =>
      deps.catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier });

    it.each([
      ['a line over 1,000 codes', [{ lineId: 'L1', productId: 'P1', quantity: 1001 }], 1, /line L1 asks for 1001 codes of CARD-50 \(the limit is 1000 per line\)/],
      ['11 × a 100-pack', [{ lineId: 'L1', productId: 'P1', quantity: 11 }], 100, /line L1 asks for 1100 codes/],
      ['101 lines', Array.from({ length: 101 }, (_, i) => ({ lineId: `L${i}`, productId: 'P1', quantity: 1 })), 1, /101 lines of digital products \(the limit is 100 per order\)/],
      ['1,001 codes over several lines', Array.from({ length: 3 }, (_, i) => ({ lineId: `L${i}`, productId: 'P1', quantity: 334 })), 1, /1002 codes in one order \(the limit is 1000 per order\)/],
    ])('%s', async (_name, lines, multiplier, detail) => {
      const s = setup();
      await mapped(s, multiplier);
      const result = await ingestWebhook(s.deps, paid(lines));
      expect(result).toMatchObject({ outcome: 'HELD', reason: 'OVER_LIMIT' });
      expect(s.orderQueue.sent).toHaveLength(1);
      expect(s.orderQueue.sent[0]).toMatchObject({ kind: 'HOLD', reason: 'OVER_LIMIT', detail: expect.stringMatching(detail), storeId: 'S1', orderId: 'O1', linesOmitted: 0 });
    });

    it('within the limits, an order of 1,000 codes is enqueued as one ORDER message', async () => {
      const s = setup();
      await mapped(s);
      expect(await ingestWebhook(s.deps, paid([{ lineId: 'L1', productId: 'P1', quantity: 1000 }]))).toMatchObject({ outcome: 'ENQUEUED', units: 1000 });
    });

    it('a held order keeps as many of its lines as fit in one queue message, and counts the rest', async () => {
      const s = setup();
      await mapped(s);
      const name = 'x'.repeat(300);
      const lines = Array.from({ length: 5000 }, (_, i) => ({ lineId: `line-${i}`, productId: 'P1', quantity: 1, name }));
      await ingestWebhook({ ...s.deps, maxMessageBytes: 100_000 }, paid(lines));
      const [held] = s.orderQueue.sent as Array<{ kind: string; lines: Array<{ name?: string }>; linesOmitted: number }>;
      expect(Buffer.byteLength(JSON.stringify(held))).toBeLessThanOrEqual(100_000);
      expect(held.lines.length + held.linesOmitted).toBe(5000);
      expect(held.lines.every((l) => l.name === undefined)).toBe(true);
      expect(held.linesOmitted).toBeGreaterThan(0);
    });

    it('an order within the limits but too large for one message (long names) is held too', async () => {
      const s = setup();
      await mapped(s);
      const lines = Array.from({ length: 90 }, (_, i) => ({ lineId: `L${i}`, productId: 'P1', quantity: 1, name: 'n'.repeat(5000) }));
      expect(await ingestWebhook({ ...s.deps, maxMessageBytes: 15_000 }, paid(lines))).toMatchObject({ outcome: 'HELD' });
      expect(s.orderQueue.sent[0]).toMatchObject({ kind: 'HOLD', detail: expect.stringContaining('too large for one queue message') });
    });

    it('customer and line names are bounded, so no field can swell a message past the limit', async () => {
      const s = setup();
      await mapped(s);
      await ingestWebhook(s.deps, paid([{ lineId: 'L1', productId: 'P1', quantity: 1, name: 'n'.repeat(10_000) }], { customer: { name: 'c'.repeat(100_000), phone: '+966500000001' } }));
      const [message] = s.orderQueue.sent as Array<{ customer: { name: string }; lines: Array<{ name: string }> }>;
      expect(message.customer.name).toHaveLength(200);
      expect(message.lines[0].name).toHaveLength(200);
    });
  });

  describe('the edge dedupe: one delivery, one message', () => {
    it('an identical delivery is DUPLICATE: nothing enqueued again; a failed one is forgotten and runs on retry', async () => {
      const s = setup();
      await s.catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
      const intent = paid([{ lineId: 'L1', productId: 'P1', quantity: 1 }]);
      const failing = { ...s.deps, orderQueue: { send: jest.fn().mockRejectedValueOnce(new QueueUnavailableError('down')), sendMany: jest.fn() } };
      await expect(ingest(failing, intent, 'd-1')).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(await ingest(s.deps, intent, 'd-1')).toMatchObject({ outcome: 'ENQUEUED' });
      expect(await ingest(s.deps, intent, 'd-1')).toEqual({ outcome: 'DUPLICATE', state: 'DONE' });
      expect(s.orderQueue.sent).toHaveLength(1);
      // A cancel is a delivery like any other.
      const cancel: WebhookIntent = { type: 'CANCEL', platform: 'salla', storeId: 'S1', orderId: 'O1', reason: 'refunded' };
      await ingest(s.deps, cancel, 'd-2');
      expect(await ingest(s.deps, cancel, 'd-2')).toMatchObject({ outcome: 'DUPLICATE' });
      expect(s.orderQueue.sent).toHaveLength(2);
    });
  });
});
