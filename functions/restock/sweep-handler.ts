// Sweep function (every minute): the safety net behind the stream-driven fill and reorder.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sweep } from '#core/inventory-events';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { restockDeps } from '#wiring/restock-deps';

export const rawHandler = async (): Promise<{ skus: number; filled: number; failed: number }> => {
  const result = await sweep(await restockDeps());
  metrics().addMetric('SweepSkus', MetricUnit.Count, result.skus);
  metrics().addMetric('SweepUnitsFilled', MetricUnit.Count, result.filled);
  metrics().addMetric('SweepSkuFailures', MetricUnit.Count, result.failed);
  logger.info('Sweep done', result);
  return result;
};

export const handler = instrument(rawHandler);
