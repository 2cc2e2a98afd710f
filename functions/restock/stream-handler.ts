// Restock function (DynamoDB stream): reorder below threshold, wake the filler (on the poll queue) when stock or backorders land.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { groupBySku } from '#adapters/dynamo/stream-records';
import { onSkuActivity } from '#core/inventory-events';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { restockDeps } from '#wiring/restock-deps';

/**
 * Records are grouped per SKU so a batch of 100 claims costs one reorder decision, not 100. A SKU
 * that fails reports its earliest record, and Lambda retries the batch from there (bisecting).
 */
export const rawHandler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const deps = await restockDeps();
  const skus = groupBySku(event.Records);
  metrics().addMetric('StreamRecords', MetricUnit.Count, event.Records.length);
  metrics().addMetric('SkusTouched', MetricUnit.Count, skus.size);
  const failed: string[] = [];
  await Promise.all(
    [...skus].map(async ([sku, batch]) => {
      try {
        await onSkuActivity(deps, sku, batch.activity);
      } catch (err) {
        logger.error('Restock failed for SKU', { sku, error: (err as Error).message });
        failed.push(...batch.sequenceNumbers);
      }
    }),
  );
  if (failed.length > 0) metrics().addMetric('RestockFailedRecords', MetricUnit.Count, failed.length);
  const first = failed.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
  return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
};

export const handler = instrument(rawHandler);
