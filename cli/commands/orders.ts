// `orders show`: an order and its units for support questions ("where is my code?"), including why an
// order or unit is held and how many send attempts it took. Shows code ids, never code values: a code
// is only ever shown to its customer.
import type { Command } from 'commander';
import { maskedEmail, maskedPhone } from '#core/contact';
import type { Contact } from '#core/model';
import type { ChannelOutcome } from '#core/ports/orders';
import { CliError } from '../errors';
import { orderKeyOptions } from '../options';
import { renderFields, renderTable } from '../output';
import type { WriteBackRecord } from '#core/ports/write-back';
import type { GlobalOptions, Session } from '../session';
import { registerOrderHolds } from './orders-hold';
import { registerOrderWriteBack } from './orders-writeback';

interface ShowOptions extends GlobalOptions {
  store: string;
  order: string;
}

export function registerOrders(program: Command, session: Session): void {
  const orders = program.command('orders').description('Look up orders, and release or cancel held ones');

  orderKeyOptions(orders.command('show').description('Show an order and the state of each unit (one unit = one code), with code ids but never code values'))
    .addHelpText(
      'after',
      `
Unit states: RESERVED (code claimed, being sent), DELIVERED, BACKORDERED (waiting for stock, oldest paid
first), HELD (waiting for the merchant: see its reason; \`orders release\` or \`orders cancel\`), CANCELLED.
ATTEMPTS counts send attempts; more than one means a retry, or a takeover after a crash (the customer
may then have received the message twice). CHANNELS lists each channel's outcome in the order tried
(the store's chain), then the provider's last status (sent, delivered, read, failed) and whether the
reveal link was opened. Customer phone and e-mail are partly masked.

Example:
  $ npx tsx cli/streamsync.ts --local orders show --store 1305146709 --order 2070002981
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ShowOptions>();
      const deps = await (await session.connect(options)).deps();
      const [order, units] = await Promise.all([deps.orders.getOrder(options.store, options.order), deps.orders.listUnits(options.store, options.order)]);
      if (!order && units.length === 0) throw new CliError(`Order ${options.order} of store ${options.store} not found.`);
      units.sort((a, b) => a.unitId.localeCompare(b.unitId, 'en', { numeric: true }));
      const customer = maskContact(order?.customer);
      // Listed field by field: whatever else a unit item may carry stays out of the output.
      const shownUnits = units.map((u) => ({
        unitId: u.unitId,
        lineId: u.lineId,
        sku: u.sku,
        productName: u.productName,
        state: u.state,
        codeId: u.codeId,
        receivedAt: u.receivedAt,
        ...(u.sendStartedAt && { sendStartedAt: u.sendStartedAt }),
        deliveredAt: u.deliveredAt,
        ...(u.channel && { channel: u.channel }),
        sendAttempts: u.sendAttempts ?? 0,
        ...(u.maybeSent && { maybeSent: true }),
        ...(u.lastSendFailure && { lastSendFailure: u.lastSendFailure }),
        ...(u.heldReason && { heldReason: u.heldReason, heldAt: u.heldAt, heldDetail: u.heldDetail }),
        ...(u.channelLog && { channelLog: u.channelLog }),
        ...(u.deliveryStatus && { deliveryStatus: u.deliveryStatus, deliveryStatusAt: u.deliveryStatusAt }),
        ...(u.revealLinkExpiresAt && { revealLinkExpiresAt: u.revealLinkExpiresAt }),
        ...(u.revealedAt && { revealedAt: u.revealedAt }),
      }));
      if (options.json) {
        session.json({ order: order && { ...order, customer }, units: shownUnits });
        return;
      }
      const count = (state: string) => units.filter((u) => u.state === state).length;
      session.out(
        renderFields([
          ['order', `${options.store} / ${options.order}`],
          ['platform', order?.platform],
          ['reference', order?.reference],
          ['locale', order?.locale],
          ['customer', [customer?.name, customer?.phone, customer?.email].filter(Boolean).join(', ')],
          ['received', order?.receivedAt],
          ['held', order?.hold && `${order.hold.reason} since ${order.hold.at}: ${order.hold.detail}`],
          ['released', order?.releasedAt],
          ['contact corrected', order?.contactCorrectedAt],
          ['cancelled', order?.cancelledAt && `${order.cancelledAt} (${order.cancelReason ?? 'no reason'})`],
          ['backorder notice', order?.backorderNotifiedAt],
          ['delivered before cancel', order?.deliveredBeforeCancel?.join(', ')],
          ['store told', order?.writeBack && describeWriteBack(order.writeBack)],
          [
            'units',
            order?.hold && units.length === 0
              ? `${order.hold.lines.reduce((sum, l) => sum + l.quantity, 0)} held with the order (no code taken yet)`
              : `${units.length} (${['DELIVERED', 'RESERVED', 'BACKORDERED', 'HELD', 'CANCELLED'].map((s) => `${count(s)} ${s.toLowerCase()}`).join(', ')})`,
          ],
        ]),
      );
      if (units.length > 0) {
        session.out(
          renderTable(shownUnits, [
            { header: 'UNIT', value: (u) => u.unitId },
            { header: 'SKU', value: (u) => u.sku },
            { header: 'STATE', value: (u) => u.state },
            { header: 'CODE ID', value: (u) => u.codeId },
            { header: 'ATTEMPTS', value: (u) => String(u.sendAttempts) },
            { header: 'DELIVERED AT', value: (u) => u.deliveredAt },
            { header: 'CHANNELS', value: channelsOf },
            { header: 'WHY', value: whyOf },
            { header: 'PRODUCT', value: (u) => u.productName },
          ]),
        );
      }
    });

  registerOrderHolds(orders, session);
  registerOrderWriteBack(orders, session);
}

/** Each channel's outcome in order, then the provider's last status and the reveal: `whatsapp failed (PERMANENT 131026) → sms sent; delivered`. */
function channelsOf(u: { channelLog?: ChannelOutcome[]; deliveryStatus?: string; revealLinkExpiresAt?: string; revealedAt?: string }): string | undefined {
  const steps = (u.channelLog ?? []).map((entry) => `${entry.channel} ${entry.outcome === 'SENT' ? (entry.link ? 'sent link' : 'sent') : `failed (${entry.reason ?? 'unknown'})`}`);
  const after = [
    u.deliveryStatus,
    u.revealedAt ? `revealed ${u.revealedAt}` : u.revealLinkExpiresAt ? `code not revealed yet (link valid until ${u.revealLinkExpiresAt.slice(0, 10)})` : undefined,
  ].filter(Boolean);
  const text = [steps.join(' → '), ...after].filter(Boolean).join('; ');
  return text === '' ? undefined : text;
}

/** Held: the reason and its detail; otherwise the last failed attempt, if any. */
function whyOf(u: { heldReason?: string; heldDetail?: string; lastSendFailure?: { failure: string; reason: string }; maybeSent?: boolean }): string | undefined {
  const parts = [
    u.heldReason && `${u.heldReason}${u.heldDetail ? `: ${u.heldDetail}` : ''}`,
    !u.heldReason && u.lastSendFailure && `last attempt ${u.lastSendFailure.failure.toLowerCase()} (${u.lastSendFailure.reason})`,
    u.maybeSent && 'may have been sent',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "+9665•••••001", "a•••@example.com": enough to recognise the customer, not to copy the contact. */
export function maskContact(contact: Contact | undefined): Contact | undefined {
  if (!contact) return undefined;
  const phone = contact.phone && maskedPhone(contact.phone);
  const email = contact.email && maskedEmail(contact.email);
  return { ...(contact.name && { name: contact.name }), ...(phone && { phone }), ...(email && { email }) };
}

/** The write-back as the merchant reads it: `DONE: completed (HTTP 201) at …, 1 call`. */
const describeWriteBack = (w: WriteBackRecord): string =>
  `${w.state}${w.status ? `: ${w.status}` : ''}${w.httpStatus ? ` (HTTP ${w.httpStatus})` : ''} at ${w.at}, ${w.attempts} call(s)${w.error ? `; ${w.error}` : ''}`;
