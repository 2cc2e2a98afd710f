// The velocity limit in the delivery path: before the first code of an order is claimed, each of the
// customer's identities (phone, e-mail) is charged for the units of each SKU; a charge over the SKU's
// limit holds the whole order for the merchant (released or cancelled from the CLI), nothing claimed.
import { maskedEmail, maskedPhone } from './contact';
import type { CoreDeps } from './deps';
import { placeOrderHold } from './hold-order';
import type { Contact, SkuConfig, VelocityLimit } from './model';
import { wasReleasedFrom, type NewOrder, type OrderRecord } from './ports/orders';
import type { VelocityCharge, VelocityLedger } from './ports/velocity';

export interface VelocityGateDeps extends Pick<CoreDeps, 'orders' | 'alerts' | 'clock' | 'log'> {
  velocity?: {
    ledger: VelocityLedger;
    /** The deployment's limit for SKUs without their own; `maxCodes: 0` turns it off. */
    defaults: VelocityLimit;
    skuConfig(sku: string): Promise<SkuConfig | undefined>;
  };
}

/** The largest limit a SKU may set: a counter remembers its orders, and must stay one small item. */
export const VELOCITY_CEILING: VelocityLimit = { maxCodes: 100, windowHours: 24 * 30 };

/**
 * The identities one customer is counted under. At the big providers that ignore them, `+tags` (and
 * Gmail's dots) are folded, so `a.b+1@gmail.com` and `ab@gmail.com` are one customer; elsewhere the
 * address stays as written (`john+smith@corp.example` may be another person). The phone is E.164 already.
 */
export function customerIdentities(customer: Contact): string[] {
  const identities: string[] = [];
  if (customer.phone && !customer.invalidPhone) identities.push(`phone:${customer.phone}`);
  const email = normalisedEmail(customer.email);
  if (email) identities.push(`email:${email}`);
  return identities;
}

export function normalisedEmail(email: string | undefined): string | undefined {
  const address = email?.trim().toLowerCase() ?? '';
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  let local = address.slice(0, at);
  // A trailing dot is the same domain (the DNS root).
  let domain = address.slice(at + 1).replace(/\.+$/, '');
  if (domain === '') return undefined;
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_ADDRESSING.has(domain)) local = local.split('+')[0] || local;
  if (domain === 'gmail.com') local = local.replaceAll('.', '') || local;
  return `${local}@${domain}`;
}

/** Providers where `name+tag@` reaches `name@`. */
const PLUS_ADDRESSING: ReadonlySet<string> = new Set(['gmail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'proton.me', 'protonmail.com', 'fastmail.com']);

/** The identity as `orders show` masks a contact: enough for the merchant to recognise, not to copy. */
export function maskedIdentity(identity: string): string {
  const [kind, value = ''] = identity.split(/:(.*)/s);
  return kind === 'phone' ? maskedPhone(value) : maskedEmail(value);
}

export type VelocityResult = 'GO' | 'HELD';

export async function velocityGate(deps: VelocityGateDeps, order: OrderRecord, message: NewOrder): Promise<VelocityResult> {
  const velocity = deps.velocity;
  // The merchant released it from a velocity hold: their decision stands, and is not counted again.
  if (!velocity || wasReleasedFrom(order, 'VELOCITY_LIMIT')) return 'GO';
  const identities = customerIdentities(order.customer);
  if (identities.length === 0) return 'GO';
  const unitsBySku = new Map<string, number>();
  for (const line of message.lines) unitsBySku.set(line.sku, (unitsBySku.get(line.sku) ?? 0) + line.quantity);
  // The window of the payment, not of this attempt: a retry across a window boundary is the same charge.
  const paidAt = Date.parse(order.receivedAt) || deps.clock.now().getTime();
  const orderKey = `${order.storeId}/${order.orderId}`;
  const charges: VelocityCharge[] = [];
  for (const [sku, units] of unitsBySku) {
    const limit = (await velocity.skuConfig(sku))?.velocity ?? velocity.defaults;
    if (limit.maxCodes <= 0) continue;
    const windowMs = limit.windowHours * 3_600_000;
    const windowStart = Math.floor(paidAt / windowMs) * windowMs;
    const expiresAtSeconds = Math.ceil((windowStart + 2 * windowMs) / 1000);
    for (const identity of identities) charges.push({ identity, sku, windowStart, windowHours: limit.windowHours, expiresAtSeconds, orderKey, units, maxCodes: limit.maxCodes });
  }
  // Side by side: an identity charged while another one is over stays charged (counted high, never low).
  const results = await Promise.all(charges.map(async (charge) => ({ charge, outcome: await velocity.ledger.charge(charge) })));
  const over = results.find((r) => r.outcome.result === 'OVER');
  if (!over || over.outcome.result !== 'OVER') return 'GO';
  await holdOverLimit(deps, order, message, over.charge, over.outcome.count);
  return 'HELD';
}

async function holdOverLimit(deps: VelocityGateDeps, order: OrderRecord, message: NewOrder, charge: VelocityCharge, counted: number): Promise<void> {
  const who = maskedIdentity(charge.identity);
  const detail =
    `${who} would get ${charge.units} more code(s) of ${charge.sku}, with ${counted} already in this ${charge.windowHours} h window ` +
    `(the limit is ${charge.maxCodes} per customer)`;
  const figures = { sku: charge.sku, count: counted, maxCodes: charge.maxCodes };
  await placeOrderHold(
    deps,
    order,
    { reason: 'VELOCITY_LIMIT', detail, at: deps.clock.now().toISOString(), lines: message.lines },
    {
      log: 'Order held: over the velocity limit',
      fields: figures,
      message:
        `Order ${order.reference ?? order.orderId} is held and no code was taken for it: ${detail}. ` +
        `If the customer is genuine, deliver it (npm run cli -- orders release --store ${order.storeId} --order ${order.orderId}); ` +
        `if not, cancel it (orders cancel) and refund it in the store.`,
      details: { reason: 'VELOCITY_LIMIT', ...figures },
    },
    { unlessReleased: true },
  );
}
