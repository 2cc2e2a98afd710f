// Sweep function (every minute): the safety net behind the stream-driven fill and reorder.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { sweep } from '#core/inventory-events';
import { logger, metrics, tracer } from '#wiring/powertools';
import { getCoreDeps } from '#wiring/container';

export const rawHandler = async (): Promise<{ skus: number; filled: number; failed: number }> => {
  const result = await sweep(await getCoreDeps());
  metrics.addMetric('SweepSkus', MetricUnit.Count, result.skus);
  metrics.addMetric('SweepUnitsFilled', MetricUnit.Count, result.filled);
  metrics.addMetric('SweepSkuFailures', MetricUnit.Count, result.failed);
  logger.info('Sweep done', result);
  return result;
};

export const handler = middy(rawHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
