// `orders release` and `orders cancel`: the merchant's answer to a held order (over a limit, no usable
// contact, or a unit the channel refused). Release goes through the same core use case the tests
// drive; cancel enqueues the CANCEL message a platform refund would, so the delivery function does it
// exactly as for a refund (codes never sent go back to stock).
import type { Command } from 'commander';
import { releaseOrder } from '#core/hold-order';
import type { Contact } from '#core/model';
import type { OrderQueue } from '#core/ports/queues';
import { CliError } from '../errors';
import { emailAddress, mobileNumber, orderKeyOptions } from '../options';
import type { GlobalOptions, Session } from '../session';

interface OrderOptions extends GlobalOptions {
  store: string;
  order: string;
}

interface ReleaseOptions extends OrderOptions {
  phone?: string;
  email?: string;
}

export function registerOrderHolds(orders: Command, session: Session): void {
  orderKeyOptions(orders.command('release').description('Deliver a held order (or its held units) after all, optionally with a corrected phone or e-mail'))
    .option('--phone <number>', "the customer's corrected mobile number", mobileNumber)
    .option('--email <address>', "the customer's corrected e-mail address", emailAddress)
    .addHelpText(
      'after',
      `
An order is held when it is over the order limits (OVER_LIMIT), when it has no way to reach the
customer (NO_CONTACT), when the store's own order says it is not paid or not these lines
(PAYMENT_MISMATCH: check it in the store before releasing), when the store could not be asked in time
(PAYMENT_UNVERIFIED), when the customer would pass a SKU's velocity limit (VELOCITY_LIMIT: a
release delivers it without counting it again), or a unit is held when the channel refused its message (CHANNEL_REJECTED) or kept
failing (CHANNEL_UNAVAILABLE). The ORDER_HELD / UNIT_HELD alert names the order; \`orders show\` says why.
Release delivers it: the held order from its stored lines, held units with the code they already reserved.
Releasing again does nothing.

Examples:
  $ npx tsx cli/streamsync.ts --local orders release --store 1305146709 --order 2070002981 --phone 0501234567
  $ npx tsx cli/streamsync.ts orders release --store 1305146709 --order 2070002981
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ReleaseOptions>();
      const deps = await (await session.connect(options)).deps();
      const correction: Partial<Contact> | undefined =
        options.phone || options.email ? { ...(options.phone && { phone: options.phone }), ...(options.email && { email: options.email }) } : undefined;
      const report = await releaseOrder({ ...deps, orderQueue: queueOf(deps.orderQueue), clock: { now: () => new Date() } }, options.store, options.order, correction);
      if (report.notReleasable === 'NOT_FOUND') throw new CliError(`Order ${options.order} of store ${options.store} not found.`);
      if (report.notReleasable === 'CANCELLED') throw new CliError(`Order ${options.order} of store ${options.store} is cancelled: there is nothing to release.`);
      if (options.json) return session.json(report);
      const done = [
        report.contactCorrected && 'contact corrected',
        report.orderReleased && 'order released: its units are being delivered',
        report.unitsReleased > 0 && `${report.unitsReleased} held unit(s) released: being sent again`,
      ].filter(Boolean);
      session.out(done.length > 0 ? `${options.order}: ${done.join('; ')}.` : `${options.order}: nothing was held; nothing to release.`);
    });

  orderKeyOptions(orders.command('cancel').description('Cancel an order as a refund would: units not yet sent are cancelled and their codes go back to stock'))
    .addHelpText(
      'after',
      `
For a held order you will not deliver: refund the customer on the store as well. Units that were
already sent stay delivered and are reported (REFUND_AFTER_DELIVERY) so you can revoke them at the
supplier. Cancelling twice is harmless.

Example:
  $ npx tsx cli/streamsync.ts --local orders cancel --store 1305146709 --order 2070002981
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<OrderOptions>();
      const deps = await (await session.connect(options)).deps();
      const order = await deps.orders.getOrder(options.store, options.order);
      if (!order) throw new CliError(`Order ${options.order} of store ${options.store} not found.`);
      if (order.cancelledAt) {
        session.out(`${options.order}: already cancelled at ${order.cancelledAt}.`);
        return;
      }
      const receivedAt = new Date().toISOString();
      await queueOf(deps.orderQueue).send({ kind: 'CANCEL', platform: order.platform, storeId: order.storeId, orderId: order.orderId, reason: 'cancelled', receivedAt });
      if (options.json) return session.json({ cancelling: true, at: receivedAt });
      session.out(`${options.order}: cancel queued; \`orders show\` shows the units as the delivery function cancels them.`);
    });
}

function queueOf(queue: OrderQueue | undefined): OrderQueue {
  if (!queue) throw new CliError('This command enqueues order messages: set ORDERS_QUEUE_URL to the stack output OrdersQueueUrl (or use --local).');
  return queue;
}
