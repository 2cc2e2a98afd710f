// Delivery function (SQS orders queue, partial batch failures): one record = one order message.
import { BatchProcessor, EventType, processPartialResponse, type ParsedRecord } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { orderMessageSchema, type OrderMessageBody } from '#adapters/aws/queue-messages';
import { MAX_RECEIVE_COUNT } from '#adapters/dynamo/table-schema';
import { cancelOrder } from '#core/cancel-order';
import { applyChannelStatus } from '#core/channel-status';
import { deliverOrder, resumeOrder, type DeliveryReport } from '#core/deliver-order';
import { holdIncomingOrder } from '#core/hold-order';
import type { SendContext } from '#core/send-unit';
import { deliveryDeps, deliveryRetries } from '#wiring/delivery-deps';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { sqsJsonParser } from '#wiring/sqs-json-parser';

// A body that is not a valid order message fails its record, logged with why (only a bug makes one).
// One processor per invocation: outside Lambda's own invocation store (the local event sources run
// invocations side by side in one process) a shared processor mixes up their records and failures.
const newProcessor = () => new BatchProcessor(EventType.SQS, { parser: sqsJsonParser, innerSchema: orderMessageSchema, transformer: 'json', logger });

/**
 * Thrown when units wait for a transient channel failure to pass, or for another invocation holding
 * their send lease: the record is retried with backoff, so it stays on the queue until every unit has
 * ended. (If that holder dies, only this record is left to take its expired lease over.)
 */
class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

function record(report: DeliveryReport, ctx: SendContext): void {
  metrics().addMetric('UnitsDelivered', MetricUnit.Count, report.delivered);
  if (report.backordered) metrics().addMetric('UnitsBackordered', MetricUnit.Count, report.backordered);
  if (report.held) metrics().addMetric('UnitsHeld', MetricUnit.Count, report.held);
  if (ctx.counters?.takeovers) metrics().addMetric('SendLeaseTakeovers', MetricUnit.Count, ctx.counters.takeovers);
  if (ctx.counters?.channelFailures) metrics().addMetric('ChannelFailures', MetricUnit.Count, ctx.counters.channelFailures);
  if (report.retryLater > 0 || report.inProgress > 0) {
    throw new RetryLater(`${report.retryLater} unit(s) wait for the channel, ${report.inProgress} for another invocation's send`);
  }
}

export async function processRecord(rec: ParsedRecord<SQSRecord, OrderMessageBody>, context?: Context): Promise<void> {
  const message = rec.body;
  const receiveCount = Number(rec.attributes.ApproximateReceiveCount);
  const order = { storeId: message.storeId, orderId: message.orderId, kind: message.kind, receiveCount };
  const ctx: SendContext = {
    owner: `${context?.awsRequestId ?? 'local'}/${rec.messageId}`,
    // The last receive before the DLQ: a unit still failing is held for the merchant instead.
    finalAttempt: receiveCount >= MAX_RECEIVE_COUNT,
    counters: { takeovers: 0, channelFailures: 0 },
  };
  const core = await deliveryDeps();
  try {
    if (message.kind === 'ORDER') {
      const report = await deliverOrder(core, message, ctx);
      metrics().addMetric('PaymentToDelivery', MetricUnit.Milliseconds, Date.now() - Date.parse(message.receivedAt));
      logger.info('Order processed', { ...order, ...report, backorderedBySku: undefined });
      record(report, ctx);
    } else if (message.kind === 'RESUME') {
      const report = await resumeOrder(core, message.storeId, message.orderId, ctx);
      logger.info('Reserved units delivered', { ...order, ...report, backorderedBySku: undefined });
      record(report, ctx);
    } else if (message.kind === 'CHANNEL_STATUS') {
      const result = await applyChannelStatus(core, message, ctx);
      logger.info('Channel status applied', { ...order, unitId: message.unitId, channel: message.channel, status: message.status, result });
      if (result === 'DELIVERED') metrics().addMetric('UnitsRedelivered', MetricUnit.Count, 1);
      if (result === 'RETRY_LATER' || result === 'IN_PROGRESS') throw new RetryLater(`unit ${message.unitId} waits for the next channel`);
    } else if (message.kind === 'HOLD') {
      const { placed } = await holdIncomingOrder(core, message);
      metrics().addMetric('OrdersHeld', MetricUnit.Count, placed ? 1 : 0);
    } else {
      const report = await cancelOrder(core, message);
      metrics().addMetric('UnitsCancelled', MetricUnit.Count, report.cancelledUnits);
      metrics().addMetric('UnitsDeliveredBeforeCancel', MetricUnit.Count, report.deliveredBeforeCancel.length);
      logger.info('Order cancelled', { ...order, reason: message.reason, ...report });
    }
  } catch (err) {
    // Every failure says why, with the order's key and never a message body: the DLQ runbook points here.
    const level = err instanceof RetryLater ? 'warn' : 'error';
    logger[level]('Order message failed, it will be retried', { ...order, error: (err as Error).message, errorName: (err as Error).name, finalAttempt: ctx.finalAttempt });
    throw err;
  }
}

export const rawHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  metrics().addMetric('OrderMessages', MetricUnit.Count, event.Records.length);
  // A batch whose every record failed is answered like any other, so its records get the backoff below
  // too (throwing would leave them to the queue's full visibility timeout).
  const response = await processPartialResponse(event, (r: ParsedRecord<SQSRecord, OrderMessageBody>) => processRecord(r, context), newProcessor(), {
    context,
    throwOnFullBatchFailure: false,
  });
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  if (failed.size > 0) {
    const records = event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({ receiptHandle: r.receiptHandle, receiveCount: Number(r.attributes.ApproximateReceiveCount) }));
    // Best effort: without it the queue's own visibility timeout applies.
    await deliveryRetries()
      .then((retries) => retries.retryLater(records))
      .catch((err: Error) => logger.warn('Could not shorten the retry delay of failed messages', { error: err.name, count: records.length }));
  }
  return response;
};

export const handler = instrument(rawHandler);
