// Write-back function (SQS write-back queue, partial batch failures): one record = one delivered
// order to report to its store. Delays and retries go back on the queue as new delayed messages, so
// the queue's own retries (and its DLQ) are left for failures of ours.
import { BatchProcessor, EventType, processPartialResponse, type ParsedRecord } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { writeBackMessageSchema, type WriteBackMessageBody } from '#adapters/aws/queue-messages';
import { writeBackOrder } from '#core/write-back';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { sqsJsonParser } from '#wiring/sqs-json-parser';
import { writeBackDeps } from '#wiring/write-back-deps';

const newProcessor = () => new BatchProcessor(EventType.SQS, { parser: sqsJsonParser, innerSchema: writeBackMessageSchema, transformer: 'json', logger });

const METRIC = { DONE: 'WriteBacksDone', FAILED: 'WriteBacksFailed', SKIPPED: 'WriteBacksSkipped', ALREADY: 'WriteBackDuplicates', BUSY: 'WriteBackDuplicates', PACED: 'WriteBacksPaced', RETRYING: 'WriteBackRetries' } as const;

export async function processRecord(rec: ParsedRecord<SQSRecord, WriteBackMessageBody>, context?: Context): Promise<void> {
  const message = rec.body;
  const fields = { platform: message.platform, storeId: message.storeId, orderId: message.orderId, attempt: message.attempt ?? 0 };
  try {
    const outcome = await writeBackOrder(await writeBackDeps(), message, `${context?.awsRequestId ?? 'local'}/${rec.messageId}`);
    metrics().addMetric(METRIC[outcome], MetricUnit.Count, 1);
    logger.debug('Write-back handled', { ...fields, outcome });
  } catch (err) {
    logger.error('Write-back message failed, it will be retried', { ...fields, error: (err as Error).message, errorName: (err as Error).name });
    throw err;
  }
}

export const rawHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, (r: ParsedRecord<SQSRecord, WriteBackMessageBody>) => processRecord(r, context), newProcessor(), { context, throwOnFullBatchFailure: false });

export const handler = instrument(rawHandler);
