// Use case step: send one reserved code to its customer, exactly once. The send lease picks one sender
// among concurrent duplicates; every way the channel can fail ends in a named state: DELIVERED, HELD
// (with an alert), or a retry later with the failure recorded — never a second code, never a code lost.
import type { CoreDeps } from './deps';
import { ChannelError, type ChannelFailure } from './errors';
import type { OrderRecord, OrderUnit } from './ports/orders';
import type { SendLease } from './ports/sends';

export type SendResult = 'DELIVERED' | 'CANCELLED' | 'HELD' | 'IN_PROGRESS' | 'RETRY_LATER';

/** What sending uses. */
export type SendDeps = Pick<CoreDeps, 'claims' | 'sends' | 'stock' | 'channel' | 'alerts' | 'clock' | 'log' | 'delivery'>;

/** The invocation sending: its lease owner id, and whether this is the message's last receive before the DLQ. */
export interface SendContext {
  owner: string;
  finalAttempt: boolean;
  /** Counts of what happened, for the handler's metrics. */
  counters?: { takeovers: number; channelFailures: number };
}

export const leaseFor = (deps: Pick<SendDeps, 'clock' | 'delivery'>, ctx: SendContext): SendLease => ({
  owner: ctx.owner,
  until: new Date(deps.clock.now().getTime() + deps.delivery.sendLeaseSeconds * 1000).toISOString(),
});

/**
 * Sends a RESERVED unit's code. `leased`: this invocation already holds the unit's send lease (it
 * claimed the unit a moment ago); otherwise it takes the lease first and leaves the unit to whoever holds it.
 */
export async function sendUnit(deps: SendDeps, order: OrderRecord, unit: OrderUnit, ctx: SendContext, leased = false): Promise<SendResult> {
  const key = { storeId: unit.storeId, orderId: unit.orderId, unitId: unit.unitId };
  let takeover = false;
  if (!leased) {
    const lease = await deps.sends.acquireSend(unit, leaseFor(deps, ctx), deps.clock.now().toISOString());
    switch (lease.result) {
      case 'ORDER_CANCELLED':
        // Never committed: its code goes back to stock instead of to the customer. False when another
        // sender committed first: that sender delivers, this one must not.
        await deps.claims.releaseUnsent(unit);
        return 'CANCELLED';
      case 'LEASE_HELD':
        return 'IN_PROGRESS';
      case 'NOT_RESERVED':
        return lease.unit?.state === 'DELIVERED' ? 'DELIVERED' : lease.unit?.state === 'HELD' ? 'HELD' : 'CANCELLED';
      case 'ACQUIRED':
        takeover = lease.takeover;
        if (takeover) {
          if (ctx.counters) ctx.counters.takeovers++;
          // Its previous holder never finished: it may have sent. This send can be the one allowed repeat.
          deps.log.warn('Send lease taken over after its holder stopped: the code may be sent a second time', { ...key, attempt: lease.attempt });
        }
    }
  }
  const maybeSentBefore = unit.maybeSent === true || takeover;
  const code = await deps.stock.readCode(unit.sku, unit.codeId!);
  const facts = {
    kind: 'CODE' as const,
    locale: order.locale,
    to: order.customer,
    ref: `${unit.storeId}/${unit.orderId}/${unit.unitId}`,
    orderReference: order.reference ?? order.orderId,
    customerName: order.customer?.name,
    productName: unit.productName,
    code,
  };
  for (let attempt = 1; ; attempt++) {
    let receipt;
    try {
      receipt = await deps.channel.send(facts);
    } catch (err) {
      const failure = asChannelError(err);
      if (ctx.counters) ctx.counters.channelFailures++;
      const fields = { ...key, channel: deps.channel.name, failure: failure.failure, reason: failure.reason, attempt };
      if (failure.failure === 'PERMANENT') return hold(deps, order, unit, ctx, 'CHANNEL_REJECTED', failure, maybeSentBefore);
      // Transient: a few quick tries in this invocation (nothing was sent); an unknown outcome is never
      // hot-retried, since the customer may have it.
      if (failure.failure === 'TRANSIENT' && attempt < deps.delivery.channelAttempts) {
        deps.log.warn('Channel failed, trying again', fields);
        await pause(deps.delivery.channelRetryDelayMs * 4 ** (attempt - 1));
        continue;
      }
      const maybeSent = maybeSentBefore || failure.failure === 'UNKNOWN_OUTCOME';
      if (ctx.finalAttempt) return hold(deps, order, unit, ctx, 'CHANNEL_UNAVAILABLE', failure, maybeSent);
      deps.log.warn('Channel failed, the message will be retried later', fields);
      await deps.sends.recordSendFailure(unit, ctx.owner, { failure: failure.failure, reason: failure.reason, at: deps.clock.now().toISOString() }, maybeSent);
      return 'RETRY_LATER';
    }
    // A crash between the send and this record leaves the lease to expire: the retry sends the same
    // code again (the one allowed repeat, counted as a takeover), never a second code.
    if (!(await recordDelivered(deps, unit, { channel: deps.channel.name, providerMessageId: receipt.providerMessageId }))) {
      deps.log.error('Code sent but the unit could not be marked delivered: it changed meanwhile', key);
    }
    return 'DELIVERED';
  }
}

async function hold(deps: SendDeps, order: OrderRecord, unit: OrderUnit, ctx: SendContext, reason: 'CHANNEL_REJECTED' | 'CHANNEL_UNAVAILABLE', failure: ChannelError, sent: boolean): Promise<SendResult> {
  const detail = `${deps.channel.name}: ${failure.failure.toLowerCase()} ${failure.reason}`;
  const placed = await deps.sends.holdUnit(unit, ctx.owner, { reason, detail, at: deps.clock.now().toISOString(), sent });
  if (!placed) return 'IN_PROGRESS';
  const ref = order.reference ?? order.orderId;
  deps.log.error('Unit held for the merchant: the channel could not deliver its code', { storeId: unit.storeId, orderId: unit.orderId, unitId: unit.unitId, reason, detail });
  await deps.alerts.publish({
    type: 'UNIT_HELD',
    sku: unit.sku,
    storeId: unit.storeId,
    orderId: unit.orderId,
    message:
      `Unit ${unit.unitId} of order ${ref} is held (${reason}: ${detail}); its code stays reserved for the customer. ` +
      `Fix the contact or the channel, then: npm run cli -- orders release --store ${unit.storeId} --order ${unit.orderId}` +
      (sent ? ' (an earlier attempt may already have reached the customer)' : ''),
    details: { unitId: unit.unitId, reason, channel: deps.channel.name, maybeSent: sent },
  });
  return 'HELD';
}

/** Anything a channel throws that is not a ChannelError is a bug or a cut-off call: it may have gone out. */
function asChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const failure: ChannelFailure = 'UNKNOWN_OUTCOME';
  return new ChannelError(`Channel failed: ${(err as Error)?.name ?? 'Error'}`, failure, (err as Error)?.name ?? 'Error');
}

const pause = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** Attempts at recording a send the channel accepted, beyond the SDK's own retries: each failure here can cost the customer a repeat. */
const RECORD_ATTEMPTS = 4;
const RECORD_RETRY_DELAY_MS = 200;

/** markDelivered, retried in this invocation: the customer has the code now, so this write matters most. */
async function recordDelivered(deps: SendDeps, unit: OrderUnit, receipt: { channel: string; providerMessageId?: string }): Promise<boolean> {
  const key = { storeId: unit.storeId, orderId: unit.orderId, unitId: unit.unitId };
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.sends.markDelivered(unit, deps.clock.now().toISOString(), receipt);
    } catch (err) {
      if (attempt >= RECORD_ATTEMPTS) {
        deps.log.error('Code sent but not recorded as delivered: the retry may send it a second time', { ...key, error: (err as Error).name, attempt });
        throw err;
      }
      deps.log.warn('Recording a sent code failed, trying again', { ...key, error: (err as Error).name, attempt });
      await pause(RECORD_RETRY_DELAY_MS * 2 ** (attempt - 1));
    }
  }
}
