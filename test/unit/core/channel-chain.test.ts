// A store's channel chain: the next channel only after a permanent failure or a timeout (or a
// provider failing an accepted message), always the same code, every outcome recorded on the unit.
import { resolveChain } from '#core/channel-chain';
import { applyChannelStatus } from '#core/channel-status';
import { deliverOrder } from '#core/deliver-order';
import { ChannelError } from '#core/errors';
import { releaseOrder } from '#core/hold-order';
import type { OrderMessage } from '#core/model';
import type { SendContext } from '#core/send-unit';
import { harness, orderMessage } from '#test/fakes/harness';
import { RecordingChannel } from '#test/fakes/recorders';

const SKU = 'CARD-50';
const ctx = (owner = 'worker-1', finalAttempt = false): SendContext => ({ owner, finalAttempt, counters: { takeovers: 0, channelFailures: 0 } });
const UNIT = { storeId: 'store-1', orderId: 'O1', unitId: 'L1#1' };

function chained() {
  const h = harness();
  const whatsapp = new RecordingChannel('whatsapp', (to) => to.phone !== undefined);
  const sms = new RecordingChannel('sms', (to) => to.phone !== undefined);
  const email = new RecordingChannel('email', (to) => to.email !== undefined);
  h.chains.setDefault([whatsapp, sms, email].map((channel) => ({ channel, link: false })));
  h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
  return { h, whatsapp, sms, email };
}

const failNext = (channel: RecordingChannel, failure: 'PERMANENT' | 'TRANSIENT' | 'UNKNOWN_OUTCOME', reason: string, times = 1) => {
  channel.failures = times;
  channel.failWith = () => new ChannelError(`${channel.name} ${failure}`, failure, reason);
};

const status = (status: 'sent' | 'delivered' | 'read' | 'failed', providerMessageId: string, errorCode?: string): Extract<OrderMessage, { kind: 'CHANNEL_STATUS' }> => ({
  kind: 'CHANNEL_STATUS',
  ...UNIT,
  channel: 'whatsapp',
  providerMessageId,
  status,
  at: '2025-03-01T10:00:05.000Z',
  ...(errorCode && { errorCode }),
});

describe('resolveChain', () => {
  const defaults = { channels: ['whatsapp', 'sms', 'email'], linkChannels: ['whatsapp', 'email'], linksAvailable: true };

  it("takes the store's order, skipping channels the deployment lacks", () => {
    expect(resolveChain({ storeId: 's', channels: ['email', 'pigeon', 'whatsapp'] }, defaults)).toEqual([
      { name: 'email', link: true },
      { name: 'whatsapp', link: true },
    ]);
  });

  it('falls back to the deployment when the store names nothing deployed, and sends no links without the reveal route', () => {
    expect(resolveChain({ storeId: 's', channels: ['pigeon'], linkChannels: [] }, defaults).map((l) => [l.name, l.link])).toEqual([
      ['whatsapp', false],
      ['sms', false],
      ['email', false],
    ]);
    expect(resolveChain(undefined, { ...defaults, linksAvailable: false }).some((l) => l.link)).toBe(false);
  });
});

describe('falling back down the chain', () => {
  it('a permanent WhatsApp failure: SMS sends the same code, both outcomes on the unit', async () => {
    const { h, whatsapp, sms, email } = chained();
    failNext(whatsapp, 'PERMANENT', '131026');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ delivered: 1 });
    expect(sms.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    expect(whatsapp.sent).toEqual([]);
    expect(email.sent).toEqual([]);
    const unit = await h.orders.getUnit(UNIT);
    expect(unit).toMatchObject({ state: 'DELIVERED', channel: 'sms', providerMessageId: 'sms-1', channelsTried: ['whatsapp'] });
    expect(unit?.channelLog).toEqual([
      expect.objectContaining({ channel: 'whatsapp', outcome: 'FAILED', reason: 'PERMANENT 131026' }),
      expect.objectContaining({ channel: 'sms', outcome: 'SENT', providerMessageId: 'sms-1' }),
    ]);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 1, DELIVERED: 1 });
  });

  it('a timeout moves on too (the customer may have it: marked maybe sent)', async () => {
    const { h, whatsapp, sms } = chained();
    failNext(whatsapp, 'UNKNOWN_OUTCOME', 'timeout');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    expect(sms.sent).toHaveLength(1);
    expect(await h.orders.getUnit(UNIT)).toMatchObject({ state: 'DELIVERED', channel: 'sms' });
  });

  it('a passing failure is not a reason to switch: retried later on the same channel', async () => {
    const { h, whatsapp, sms } = chained();
    failNext(whatsapp, 'TRANSIENT', '130429', 3);
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ retryLater: 1 });
    expect(sms.sent).toEqual([]);
    expect(await h.orders.getUnit(UNIT)).toMatchObject({ state: 'RESERVED', channelsTried: [], lastSendFailure: expect.objectContaining({ reason: 'whatsapp 130429' }) });
    h.clock.advanceSeconds(61);
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('retry'))).toMatchObject({ delivered: 1 });
    expect(whatsapp.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
  });

  it("on the message's last receive a passing failure moves on as well", async () => {
    const { h, whatsapp, sms } = chained();
    failNext(whatsapp, 'TRANSIENT', '130429', 3);
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('last', true))).toMatchObject({ delivered: 1 });
    expect(sms.sent).toHaveLength(1);
  });

  it('a channel that cannot reach the contact is skipped: an e-mail-only customer gets e-mail', async () => {
    const { h, whatsapp, sms, email } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1, { customer: { name: 'Sara', email: 'sara@example.com' } }), ctx());
    expect([whatsapp.sent.length, sms.sent.length, email.sent.length]).toEqual([0, 0, 1]);
  });

  it('every channel refuses: HELD with each reason and one alert; a release tries the whole chain again', async () => {
    const { h, whatsapp, sms, email } = chained();
    failNext(whatsapp, 'PERMANENT', '131026');
    failNext(sms, 'PERMANENT', 'INVALID_PHONE');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1, { customer: { phone: '+966500000001' } }), ctx());
    const held = await h.orders.getUnit(UNIT);
    expect(held).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_REJECTED', heldDetail: 'whatsapp: permanent 131026; sms: permanent INVALID_PHONE' });
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'UNIT_HELD', details: expect.objectContaining({ channels: 'whatsapp,sms' }) })]);
    expect(email.sent).toEqual([]);

    await releaseOrder(h.deps, 'store-1', 'O1');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('after-release'));
    expect(whatsapp.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 1, DELIVERED: 1 });
  });

  it('a link channel sends the reveal link and never the code; the unit knows until when', async () => {
    const { h, whatsapp } = chained();
    h.chains.setStore('store-1', [{ channel: whatsapp, link: true }]);
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    const [message] = whatsapp.sent;
    expect(message.code).toBeUndefined();
    expect(message.reveal?.url).toMatch(/\/c\/[A-Za-z0-9_-]{24}$/);
    expect(message.body).not.toContain('CODE-A');
    const unit = await h.orders.getUnit(UNIT);
    expect(unit?.revealLinkExpiresAt).toBe(message.reveal?.expiresAt);
    expect(unit?.channelLog).toEqual([expect.objectContaining({ channel: 'whatsapp', outcome: 'SENT', link: true })]);
  });

  it('a link after a code that may have gone out (timeout) is not a link-only delivery: no refund can return the code', async () => {
    const { h, whatsapp, sms } = chained();
    h.chains.setStore('store-1', [
      { channel: sms, link: false },
      { channel: whatsapp, link: true },
    ]);
    failNext(sms, 'UNKNOWN_OUTCOME', 'timeout');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    expect(whatsapp.sent[0].reveal).toBeDefined();
    const unit = await h.orders.getUnit(UNIT);
    expect(unit).toMatchObject({ state: 'DELIVERED', channel: 'whatsapp' });
    expect(unit?.revealLinkExpiresAt).toBeUndefined();
  });

  it('the "code is on its way" notice goes down the chain as well', async () => {
    const { h, whatsapp, sms } = chained();
    failNext(whatsapp, 'PERMANENT', '131026');
    expect(await deliverOrder(h.deps, orderMessage('O2', 'EMPTY', 1), ctx())).toMatchObject({ backordered: 1 });
    expect(sms.sent.map((m) => m.kind)).toEqual(['BACKORDER']);
  });
});

describe('provider statuses after an accepted send', () => {
  it('sent, delivered and read are recorded, never going back', async () => {
    const { h } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    expect(await applyChannelStatus(h.deps, status('delivered', 'whatsapp-1'), ctx())).toBe('RECORDED');
    expect(await applyChannelStatus(h.deps, status('read', 'whatsapp-1'), ctx())).toBe('RECORDED');
    expect(await applyChannelStatus(h.deps, status('delivered', 'whatsapp-1'), ctx())).toBe('IGNORED');
    expect(await applyChannelStatus(h.deps, status('read', 'wamid.someone-else'), ctx())).toBe('IGNORED');
    expect(await h.orders.getUnit(UNIT)).toMatchObject({ deliveryStatus: 'read' });
  });

  it('failed after acceptance: the same code goes out by SMS, once, however often the callback comes', async () => {
    const { h, whatsapp, sms } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    const results = await Promise.all([1, 2, 3].map(() => applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx())));
    expect(results).toContain('DELIVERED');
    expect(results.every((r) => ['DELIVERED', 'IGNORED', 'IN_PROGRESS', 'RETRY_LATER'].includes(r))).toBe(true);
    expect(whatsapp.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    expect(sms.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    const unit = await h.orders.getUnit(UNIT);
    expect(unit).toMatchObject({ state: 'DELIVERED', channel: 'sms', channelsTried: ['whatsapp'] });
    expect(unit?.deliveryStatus).toBeUndefined();
    expect(unit?.channelLog?.map((e) => `${e.channel} ${e.outcome}`)).toEqual(['whatsapp SENT', 'whatsapp FAILED', 'sms SENT']);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 1, DELIVERED: 1 });
  });

  it('a report that overtakes the record of its own send waits for it (retried), not on the last receive', async () => {
    const { h } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    const unit = h.world.units.get('store-1/O1/L1#1')!;
    Object.assign(unit, { state: 'RESERVED', providerMessageId: undefined });
    expect(await applyChannelStatus(h.deps, status('delivered', 'whatsapp-1'), ctx())).toBe('RETRY_LATER');
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1'), ctx())).toBe('RETRY_LATER');
    expect(await applyChannelStatus(h.deps, status('delivered', 'whatsapp-1'), ctx('last', true))).toBe('IGNORED');
  });

  it('a report whose send is recorded between its conditional write and its read is applied, not ignored', async () => {
    for (const kind of ['failed', 'delivered'] as const) {
      const { h, sms } = chained();
      await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
      const unit = h.world.units.get('store-1/O1/L1#1')!;
      const recorded = { ...unit };
      Object.assign(unit, { state: 'RESERVED', providerMessageId: undefined });
      // The sender's markDelivered lands just after the report's first write missed it.
      const write = kind === 'failed' ? 'reopenFailedSend' : 'recordDeliveryStatus';
      const original = h.deps.sends[write].bind(h.deps.sends) as (...args: never[]) => Promise<unknown>;
      let calls = 0;
      (h.deps.sends as unknown as Record<string, unknown>)[write] = async (...args: never[]) => {
        const result = await original(...args);
        if (calls++ === 0) Object.assign(unit, recorded);
        return result;
      };
      const result = await applyChannelStatus(h.deps, status(kind, 'whatsapp-1', '131049'), ctx());
      expect(result).toBe(kind === 'failed' ? 'DELIVERED' : 'RECORDED');
      if (kind === 'failed') expect(sms.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    }
  });

  it('a fallback that fails for a while is finished by the retries of the same report, not stranded', async () => {
    const { h, whatsapp, sms } = chained();
    h.chains.setDefault([
      { channel: whatsapp, link: false },
      { channel: sms, link: false },
    ]);
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    failNext(sms, 'TRANSIENT', 'Throttled', 3);
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx('receive-1'))).toBe('RETRY_LATER');
    expect(await h.orders.getUnit(UNIT)).toMatchObject({ state: 'RESERVED' });
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx('receive-2'))).toBe('DELIVERED');
    expect(sms.sent.map((m) => m.code?.code)).toEqual(['CODE-A']);
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx('receive-3'))).toBe('IGNORED');
  });

  it('refunded after the provider failed the message: no fallback goes out', async () => {
    const { h, sms } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    await h.orders.markOrderCancelled({ platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', at: '2025-03-01T10:00:04.000Z' });
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx())).toBe('CANCELLED');
    expect(sms.sent).toEqual([]);
  });

  it('a failure reported after the customer read it changes nothing', async () => {
    const { h, sms } = chained();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    await applyChannelStatus(h.deps, status('read', 'whatsapp-1'), ctx());
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx())).toBe('IGNORED');
    expect(sms.sent).toEqual([]);
  });

  it('a failure reported after the customer opened the reveal link changes nothing', async () => {
    const { h, whatsapp, sms } = chained();
    h.chains.setStore('store-1', [
      { channel: whatsapp, link: true },
      { channel: sms, link: false },
    ]);
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    const unit = (await h.orders.getUnit(UNIT))!;
    await h.reveals.markRevealed({ ...UNIT, codeId: unit.codeId! }, '2025-03-01T10:00:03.000Z');
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131049'), ctx())).toBe('IGNORED');
    expect(sms.sent).toEqual([]);
  });

  it('failed on the last channel left: HELD for the merchant, the code kept to the unit', async () => {
    const { h, whatsapp } = chained();
    h.chains.setDefault([{ channel: whatsapp, link: false }]);
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    expect(await applyChannelStatus(h.deps, status('failed', 'whatsapp-1', '131026'), ctx())).toBe('HELD');
    expect(await h.orders.getUnit(UNIT)).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_REJECTED', maybeSent: true });
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'UNIT_HELD' })]);
  });
});
