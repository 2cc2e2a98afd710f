// The payment check in the delivery path: before the first code of an order is claimed, the store is
// asked (when the order is dear enough); a mismatch holds the order, an unreachable store makes it
// wait — bounded by the queue's retries, then held and alerted — never sends unverified.
import type { CoreDeps } from './deps';
import { placeOrderHold } from './hold-order';
import { wasReleasedFrom, type NewOrder, type OrderRecord } from './ports/orders';
import type { SkuConfig, StoreSettings } from './model';
import type { StoreApis, StorePacer } from './ports/write-back';
import { needsCheck, thresholdFor, verifyPayment, type PaymentCheckSettings, type PaymentVerdict } from './verify-payment';

export interface PaymentGateDeps extends Pick<CoreDeps, 'orders' | 'alerts' | 'clock' | 'log'> {
  payments?: {
    apis: StoreApis;
    /**
     * The store's request bucket the write-back shares. A check reserves from the whole plan while the
     * write-back stops at its share, so checks go first when the bucket fills.
     */
    pacer?: StorePacer;
    settings: PaymentCheckSettings;
    storeSettings(storeId: string): Promise<StoreSettings | undefined>;
    skuConfig(sku: string): Promise<SkuConfig | undefined>;
  };
}

export type GateResult = 'GO' | 'HELD' | 'WAIT';

export async function paymentGate(deps: PaymentGateDeps, order: OrderRecord, message: NewOrder, finalAttempt: boolean): Promise<GateResult> {
  const payments = deps.payments;
  // The merchant released it from a payment hold: they checked the store, their decision stands. A
  // release from another hold (a corrected phone) says nothing about the payment.
  if (!payments || wasReleasedFrom(order, 'PAYMENT_MISMATCH') || wasReleasedFrom(order, 'PAYMENT_UNVERIFIED')) return 'GO';
  const store = await payments.storeSettings(order.storeId);
  const threshold = thresholdFor(payments.settings, store);
  const skus = new Map(await Promise.all([...new Set(message.lines.map((l) => l.sku))].map(async (sku) => [sku, await payments.skuConfig(sku)] as const)));
  if (!needsCheck(message.lines, threshold, skus)) return 'GO';
  const fields = { platform: order.platform, storeId: order.storeId, orderId: order.orderId };
  const plan = payments.apis.budget(order.platform);
  if (payments.pacer && plan) {
    const budget = { burst: store?.apiBurst ?? plan.burst, perSecond: store?.apiPerSecond ?? plan.perSecond };
    const now = deps.clock.now().getTime();
    // Even the whole plan is spent: the store would answer 429. Wait like an outage, without the call.
    if ((await payments.pacer.reserve(order.platform, order.storeId, budget, now)) > now + 1000) {
      return waitOrHold(deps, order, message, finalAttempt, { result: 'UNAVAILABLE', detail: `${order.platform}: the store's API limit is spent`, retryable: true });
    }
  }
  const verdict = await verifyPayment(payments.apis, order, message.lines);
  if (verdict.result === 'VERIFIED') {
    deps.log.info('Payment verified with the store', fields);
    return 'GO';
  }
  if (verdict.result === 'SKIPPED') {
    deps.log.warn('Payment not verified: the store cannot be asked', { ...fields, reason: verdict.reason });
    return 'GO';
  }
  return waitOrHold(deps, order, message, finalAttempt, verdict);
}

async function waitOrHold(deps: PaymentGateDeps, order: OrderRecord, message: NewOrder, finalAttempt: boolean, verdict: Exclude<PaymentVerdict, { result: 'VERIFIED' | 'SKIPPED' }>): Promise<GateResult> {
  const fields = { platform: order.platform, storeId: order.storeId, orderId: order.orderId };
  if (verdict.result === 'UNAVAILABLE' && verdict.retryable && !finalAttempt) {
    deps.log.warn('The store could not confirm the payment yet; the order waits', { ...fields, reason: verdict.detail });
    return 'WAIT';
  }
  const reason = verdict.result === 'MISMATCH' ? 'PAYMENT_MISMATCH' : 'PAYMENT_UNVERIFIED';
  const detail = verdict.result === 'MISMATCH' ? `the store's own order does not match the webhook: ${verdict.detail}` : `the store could not confirm the payment: ${verdict.detail}`;
  await placeOrderHold(
    deps,
    order,
    { reason, detail, at: deps.clock.now().toISOString(), lines: message.lines },
    {
      log: 'Order held: payment not confirmed by the store',
      fields: { platform: order.platform },
      message:
        `Order ${order.reference ?? order.orderId} is held and no code was taken for it: ${detail}. ` +
        `Check it in the store; if it is paid, release it: npm run cli -- orders release --store ${order.storeId} --order ${order.orderId}`,
      details: { reason },
    },
    { unlessReleased: true },
  );
  return 'HELD';
}
