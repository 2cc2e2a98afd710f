// `orders writeback`: tell the store again that a delivered order is delivered, after the write-back
// failed for good (WRITE_BACK_FAILED: tokens refused, store down for hours) or was skipped.
import { SqsWriteBackQueue } from '#adapters/aws/sqs-queues';
import { DynamoWriteBackStore } from '#adapters/dynamo/write-back-store';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';
import { orderKeyOptions } from '../options';
import type { GlobalOptions, Session } from '../session';

export function registerOrderWriteBack(orders: Command, session: Session): void {
  orderKeyOptions(orders.command('writeback').description('Tell the store again that a delivered order is delivered (after WRITE_BACK_FAILED)'))
    .addHelpText(
      'after',
      `
Only for an order whose every unit is delivered and whose write-back failed, was skipped, or never ran;
one that is DONE or running is left alone. The write-back function then paces, retries and records it
as usual (\`orders show\`: "store told"). Needs WRITE_BACK_QUEUE_URL (the stack output WriteBackQueueUrl;
--local sets it).

Example:
  $ npm run cli -- orders writeback --store 80123 --order 42000099
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { store: string; order: string }>();
      const connection = await session.connect(options);
      const queueUrl = process.env.WRITE_BACK_QUEUE_URL;
      if (!queueUrl) throw new CliError('WRITE_BACK_QUEUE_URL is not set: export the stack output WriteBackQueueUrl (or use --local).', EXIT.USAGE);
      const deps = await connection.deps();
      const order = await deps.orders.getOrder(options.store, options.order);
      if (!order) throw new CliError(`No order ${options.order} in store ${options.store}.`, EXIT.FAILED);
      const units = await deps.orders.listUnits(options.store, options.order);
      const delivered = units.filter((u) => u.state === 'DELIVERED').length;
      if (units.length === 0 || delivered !== units.length || (order.unitCount !== undefined && delivered !== order.unitCount)) {
        throw new CliError(`Order ${options.order}: ${delivered} of ${order.unitCount ?? units.length} unit(s) delivered; the store is told once every unit is.`, EXIT.USAGE);
      }
      const reopened = await new DynamoWriteBackStore(connection.db, connection.config.TABLE_NAME).reopen(options.store, options.order, new Date().toISOString());
      if (!reopened) throw new CliError(`Order ${options.order}: the write-back is ${order.writeBack?.state ?? 'running'} already; nothing to do.`, EXIT.USAGE);
      await new SqsWriteBackQueue(connection.clients.sqs, queueUrl).send({ platform: order.platform, storeId: options.store, orderId: options.order, units: delivered });
      if (options.json) session.json({ storeId: options.store, orderId: options.order, queued: true });
      else session.out(`Order ${options.order}: write-back queued; \`orders show\` tells when the store has it.`);
    });
}
