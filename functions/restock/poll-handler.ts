// Reorder poll function (SQS, often delayed): a reorder's supplier calls, the wake after a pause, and
// the backorder fill (when codes landed, and when the stream saw stock or backorders arrive).
import { BatchProcessor, EventType, processPartialResponse, type ParsedRecord } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { reorderPollSchema, type ReorderPollBody } from '#adapters/aws/poll-messages';
import { onFillMessage, onReorderMessage } from '#core/inventory-events';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { restockDeps } from '#wiring/restock-deps';
import { sqsJsonParser } from '#wiring/sqs-json-parser';

// One processor per invocation: outside Lambda's own invocation store (the local event sources run
// invocations side by side in one process) a shared processor mixes up their records and failures.
const newProcessor = () => new BatchProcessor(EventType.SQS, { parser: sqsJsonParser, innerSchema: reorderPollSchema, transformer: 'json', logger });

export async function processRecord(record: ParsedRecord<SQSRecord, ReorderPollBody>): Promise<void> {
  const body = record.body;
  if ('fill' in body) {
    const fill = await onFillMessage(await restockDeps(), body.sku);
    metrics().addMetric('BackorderFills', MetricUnit.Count, 1);
    if (fill.skipped) logger.debug('Fill skipped: another filler holds the lease', { sku: body.sku });
    return;
  }
  const decision = await onReorderMessage(await restockDeps(), body);
  if ('wake' in body) {
    metrics().addMetric('ReorderWakes', MetricUnit.Count, 1);
    logger.info('Reorder decided after a pause', { sku: body.sku, decision });
    return;
  }
  metrics().addMetric(`ReorderPoll${decision === 'STALE_POLL' ? 'Stale' : 'Handled'}`, MetricUnit.Count, 1);
  logger.info('Reorder polled', { sku: body.sku, reorderId: body.reorderId, decision, lateCheck: body.lateCheck });
}

export const rawHandler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  metrics().addMetric('ReorderPollMessages', MetricUnit.Count, event.Records.length);
  return processPartialResponse(event, processRecord, newProcessor(), { context });
};

export const handler = instrument(rawHandler);
