// Use case step: send one reserved code to its customer, exactly once. The send lease picks one sender
// among concurrent duplicates; every way the channel can fail ends in a named state: DELIVERED, HELD
// (with an alert), or a retry later with the failure recorded — never a second code, never a code lost.
import { chainLabel, reachableSteps } from './channel-chain';
import type { CoreDeps } from './deps';
import { ChannelError, CodeIntegrityError, type ChannelFailure } from './errors';
import type { CodeMaterial, UnitHoldReason } from './model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from './ports/channel';
import type { OrderRecord, OrderUnit } from './ports/orders';
import type { RevealLink } from './ports/reveals';
import type { ChannelProgress, SendLease, SendReceipt } from './ports/sends';

export type SendResult = 'DELIVERED' | 'CANCELLED' | 'HELD' | 'IN_PROGRESS' | 'RETRY_LATER';

/** What sending uses. */
export type SendDeps = Pick<CoreDeps, 'claims' | 'sends' | 'stock' | 'channels' | 'revealLinks' | 'alerts' | 'clock' | 'log' | 'delivery'>;

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
  const key = keyOf(unit);
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
  const chain = await deps.channels.chainFor(unit.storeId);
  const progress: ChannelProgress = { tried: [...(unit.channelsTried ?? [])], log: [] };
  const steps = reachableSteps(chain, order.customer).filter((step) => !progress.tried.includes(step.channel.name));
  let maybeSent = unit.maybeSent === true || takeover;
  if (steps.length === 0) {
    // Every channel that reaches this customer failed already (a provider failed a message it had accepted).
    return hold(deps, order, unit, ctx, 'CHANNEL_REJECTED', `no channel of ${chainLabel(chain)} is left to try`, maybeSent, progress);
  }
  const facts = {
    kind: 'CODE' as const,
    locale: order.locale,
    to: order.customer,
    ref: `${unit.storeId}/${unit.orderId}/${unit.unitId}`,
    orderReference: order.reference ?? order.orderId,
    customerName: order.customer?.name,
    productName: unit.productName,
  };
  let code: CodeMaterial | undefined;
  // Whether the code itself may be with the customer already: then a link sent now must not let a
  // refund return the code to stock (only a unit that got nothing but links may).
  let codeMayBeOut = maybeSent;
  // This attempt's refusals, in words for the merchant if the unit ends held.
  const refusals: string[] = [];
  for (const [index, step] of steps.entries()) {
    const channel = step.channel.name;
    const hasNext = index < steps.length - 1;
    let message: CustomerMessage;
    let link: RevealLink | undefined;
    if (step.link) {
      link = await deps.revealLinks.issue(unit, facts);
      message = { ...facts, reveal: link };
    } else {
      try {
        code ??= await deps.stock.readCode({ sku: unit.sku, codeId: unit.codeId!, codeKey: unit.codeKey });
      } catch (err) {
        if (!(err instanceof CodeIntegrityError)) throw err;
        // Someone wrote this item without the key: the code is not sent, not retried, and not returned to stock.
        return hold(deps, order, unit, ctx, 'CODE_UNREADABLE', err.message, maybeSent, progress);
      }
      message = { ...facts, code };
    }
    const sent = await sendWithRetries(deps, step.channel, message, ctx);
    const at = deps.clock.now().toISOString();
    if (!(sent instanceof ChannelError)) {
      progress.log.push({ channel, outcome: 'SENT', at, ...(sent.providerMessageId && { providerMessageId: sent.providerMessageId }), ...(link && { link: true }) });
      // A crash between the send and this record leaves the lease to expire: the retry sends the same
      // code again (the one allowed repeat, counted as a takeover), never a second code.
      const receipt = { channel, providerMessageId: sent.providerMessageId, ...(link && !codeMayBeOut && { revealLinkExpiresAt: link.expiresAt }) };
      if (!(await recordDelivered(deps, unit, receipt, progress))) deps.log.error('Code sent but the unit could not be marked delivered: it changed meanwhile', keyOf(unit));
      return 'DELIVERED';
    }
    progress.log.push({ channel, outcome: 'FAILED', at, reason: `${sent.failure} ${sent.reason}` });
    refusals.push(`${channel}: ${sent.failure.toLowerCase()} ${sent.reason}`);
    if (sent.failure === 'UNKNOWN_OUTCOME') {
      maybeSent = true;
      if (!link) codeMayBeOut = true;
    }
    // The next channel takes over from one that refused for good or timed out, never from a passing
    // hiccup (that one is retried later), and on the message's last receive from anything.
    if (sent.failure === 'PERMANENT' || (hasNext && sent.failure === 'UNKNOWN_OUTCOME') || ctx.finalAttempt) {
      progress.tried.push(channel);
      if (hasNext) {
        deps.log.warn('Channel failed, falling back to the next one', { ...keyOf(unit), channel, failure: sent.failure, reason: sent.reason, next: steps[index + 1].channel.name });
        continue;
      }
      return hold(deps, order, unit, ctx, sent.failure === 'PERMANENT' ? 'CHANNEL_REJECTED' : 'CHANNEL_UNAVAILABLE', refusals.join('; '), maybeSent, progress);
    }
    deps.log.warn('Channel failed, the message will be retried later', { ...keyOf(unit), channel, failure: sent.failure, reason: sent.reason });
    await deps.sends.recordSendFailure(unit, ctx.owner, { failure: sent.failure, reason: `${channel} ${sent.reason}`, at }, maybeSent, progress);
    return 'RETRY_LATER';
  }
  throw new Error('unreachable: the last step of the chain always returns');
}

const keyOf = (unit: OrderUnit) => ({ storeId: unit.storeId, orderId: unit.orderId, unitId: unit.unitId });

/** One channel's send: a few quick tries while it fails transiently (nothing was sent); an unknown outcome is never hot-retried, since the customer may have it. */
async function sendWithRetries(deps: SendDeps, channel: DeliveryChannel, message: CustomerMessage, ctx: SendContext): Promise<ChannelReceipt | ChannelError> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await channel.send(message);
    } catch (err) {
      const failure = asChannelError(err);
      if (ctx.counters) ctx.counters.channelFailures++;
      if (failure.failure !== 'TRANSIENT' || attempt >= deps.delivery.channelAttempts) return failure;
      deps.log.warn('Channel failed, trying again', { ref: message.ref, channel: channel.name, failure: failure.failure, reason: failure.reason, attempt });
      await pause(deps.delivery.channelRetryDelayMs * 4 ** (attempt - 1));
    }
  }
}

async function hold(deps: SendDeps, order: OrderRecord, unit: OrderUnit, ctx: SendContext, reason: UnitHoldReason, detail: string, sent: boolean, progress: ChannelProgress): Promise<SendResult> {
  const placed = await deps.sends.holdUnit(unit, ctx.owner, { reason, detail, at: deps.clock.now().toISOString(), sent }, progress);
  if (!placed) return 'IN_PROGRESS';
  const ref = order.reference ?? order.orderId;
  const unreadable = reason === 'CODE_UNREADABLE';
  deps.log.error(unreadable ? 'Unit held for the merchant: its stored code does not open at its own item' : 'Unit held for the merchant: no channel could deliver its code', { ...keyOf(unit), reason, detail });
  await deps.alerts.publish({
    type: 'UNIT_HELD',
    sku: unit.sku,
    storeId: unit.storeId,
    orderId: unit.orderId,
    message:
      (unreadable
        ? `Unit ${unit.unitId} of order ${ref} is held (${reason}: ${detail}). Its code item was written by someone without the code key: ` +
          `check who wrote to the table (CloudTrail), then cancel the unit: npm run cli -- orders cancel --store ${unit.storeId} --order ${unit.orderId}`
        : `Unit ${unit.unitId} of order ${ref} is held (${reason}: ${detail}); its code stays reserved for the customer. ` +
          `Fix the contact or the channel, then: npm run cli -- orders release --store ${unit.storeId} --order ${unit.orderId}`) +
      (sent ? ' (an earlier attempt may already have reached the customer)' : ''),
    details: { unitId: unit.unitId, reason, channels: progress.log.map((entry) => entry.channel).join(','), maybeSent: sent },
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
async function recordDelivered(deps: SendDeps, unit: OrderUnit, receipt: SendReceipt, progress: ChannelProgress): Promise<boolean> {
  const key = keyOf(unit);
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.sends.markDelivered(unit, deps.clock.now().toISOString(), receipt, progress);
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
