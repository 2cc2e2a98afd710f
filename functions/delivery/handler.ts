// Delivery function (SQS orders queue, partial batch failures): one record = one order message.
import { BatchProcessor, EventType, processPartialResponse, type ParsedRecord } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { orderMessageSchema, type OrderMessageBody } from '#adapters/aws/queue-messages';
import { cancelOrder } from '#core/cancel-order';
import { deliverOrder, resumeOrder } from '#core/deliver-order';
import { deliveryDeps } from '#wiring/delivery-deps';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { sqsJsonParser } from '#wiring/sqs-json-parser';

// A body that is not a valid order message fails its record (and, after 5 receives, goes to the DLQ).
const processor = new BatchProcessor(EventType.SQS, { parser: sqsJsonParser, innerSchema: orderMessageSchema, transformer: 'json', logger });

export async function processRecord(record: ParsedRecord<SQSRecord, OrderMessageBody>): Promise<void> {
  const message = record.body;
  const core = await deliveryDeps();
  const order = { storeId: message.storeId, orderId: message.orderId, kind: message.kind, receiveCount: record.attributes.ApproximateReceiveCount };
  if (message.kind === 'ORDER') {
    const report = await deliverOrder(core, message);
    metrics().addMetric('UnitsDelivered', MetricUnit.Count, report.delivered);
    metrics().addMetric('UnitsBackordered', MetricUnit.Count, report.backordered);
    metrics().addMetric('PaymentToDelivery', MetricUnit.Milliseconds, Date.now() - Date.parse(message.receivedAt));
    logger.info('Order processed', { ...order, delivered: report.delivered, backordered: report.backordered, cancelled: report.cancelled });
  } else if (message.kind === 'RESUME') {
    const delivered = await resumeOrder(core, message.storeId, message.orderId);
    metrics().addMetric('UnitsDelivered', MetricUnit.Count, delivered);
    logger.info('Backordered units delivered', { ...order, delivered });
  } else {
    const report = await cancelOrder(core, message);
    metrics().addMetric('UnitsCancelled', MetricUnit.Count, report.cancelledUnits);
    metrics().addMetric('UnitsDeliveredBeforeCancel', MetricUnit.Count, report.deliveredBeforeCancel.length);
    logger.info('Order cancelled', { ...order, reason: message.reason, ...report });
  }
}

export const rawHandler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  metrics().addMetric('OrderMessages', MetricUnit.Count, event.Records.length);
  return processPartialResponse(event, processRecord, processor, { context });
};

export const handler = instrument(rawHandler);
