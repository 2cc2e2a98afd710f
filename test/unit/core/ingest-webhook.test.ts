// An authenticated platform event → at most one orders-queue message, after product mapping.
import { QueueUnavailableError } from '#core/errors';
import { ingestWebhook } from '#core/ingest-webhook';
import type { PlatformOrder, WebhookIntent } from '#core/model';
import { FakeCatalog } from '#test/fakes/catalog';
import { RecordingOrderQueue } from '#test/fakes/recorders';
import { T0 } from '#test/fakes/harness';

const now = () => new Date(T0);

function setup() {
  const catalog = new FakeCatalog();
  const orderQueue = new RecordingOrderQueue();
  return { catalog, orderQueue, deps: { catalog, orderQueue, now } };
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
    await catalog.putProductMapping({ storeId: 'S1', productId: 'V100', sku: 'CARD-100', multiplier: 1 });
    const result = await ingestWebhook(deps, paid([{ lineId: 'L1', productId: 'P1', variantId: 'V100', quantity: 1 }]));
    expect(result).toEqual({ outcome: 'ENQUEUED', kind: 'ORDER', units: 1, unmappedLines: 0 });
    expect(orderQueue.sent).toHaveLength(1);
    expect(orderQueue.sent[0]).toMatchObject({ lines: [{ sku: 'CARD-100' }] });
    expect(catalog.lookups).toEqual([['V100', 'P1']]);
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
          { lineId: 'L1', productId: 'P3PACK', sku: 'CARD-10', quantity: 6, name: '3-pack' },
          { lineId: 'L3', productId: 'P1', sku: 'CARD-50', quantity: 1, name: undefined },
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
});
