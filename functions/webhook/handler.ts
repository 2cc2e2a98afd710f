// Webhook function (API Gateway HTTP API): POST /webhooks/{salla|zid} → orders queue.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { SecretsWebhookSecretStore } from '#adapters/aws/webhook-secrets';
import { createPlatformAdapters, isPlatform, platformAdaptersOptionsFromConfig } from '#adapters/platforms/index';
import { loadConfig } from '#wiring/config';
import { createDynamoClient, createSecretReader, createSqsClient } from '#wiring/clients';
import { logger, metrics, tracer } from '#wiring/powertools';
import { receiveWebhook, type WebhookDeps } from './receive-webhook';

const config = loadConfig();
const deps: WebhookDeps = {
  adapters: createPlatformAdapters(platformAdaptersOptionsFromConfig(config)),
  secrets: new SecretsWebhookSecretStore(createSecretReader(config), config.WEBHOOK_SECRET_PREFIX),
  catalog: new DynamoCatalogStore(createDocumentClient(createDynamoClient()), config.TABLE_NAME),
  orderQueue: new SqsOrderQueue(createSqsClient(), config.ORDERS_QUEUE_URL),
  maxBodyBytes: config.MAX_WEBHOOK_BYTES,
  now: () => new Date(),
};

export const rawHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const platform = event.rawPath.split('/').filter(Boolean).pop();
  if (event.requestContext.http.method !== 'POST' || !isPlatform(platform)) {
    return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, error: 'no such webhook' }) };
  }
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const response = await receiveWebhook(deps, platform, { headers, rawBody });
  const log = response.failed ? logger.error : response.statusCode >= 400 ? logger.warn : logger.info;
  log.call(logger, 'Webhook answered', { platform, storeId: response.storeId, statusCode: response.statusCode, reason: response.reason, bytes: rawBody.length });
  metrics.addDimension('platform', platform);
  metrics.addMetric(response.statusCode < 300 ? 'WebhookAccepted' : 'WebhookRejected', MetricUnit.Count, 1);
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
};

export const handler = middy(rawHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
