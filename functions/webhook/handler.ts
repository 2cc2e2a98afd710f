// Webhook function (API Gateway HTTP API): POST /webhooks/{platform} → orders queue.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '#wiring/config';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { createWebhookDeps } from '#wiring/webhook-deps';
import { receiveWebhook } from './receive-webhook';

const deps = createWebhookDeps(loadConfig());

export const rawHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const platform = event.rawPath.split('/').filter(Boolean).pop() ?? '';
  if (event.requestContext.http.method !== 'POST' || !Object.hasOwn(deps.platforms, platform)) {
    return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, error: 'no such webhook' }) };
  }
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const response = await receiveWebhook(deps, platform, { headers, rawBody });
  const log = response.failed ? logger.error : response.statusCode >= 400 ? logger.warn : logger.info;
  log.call(logger, 'Webhook answered', { platform, storeId: response.storeId, statusCode: response.statusCode, reason: response.reason, bytes: rawBody.length });
  metrics().addDimension('platform', platform);
  metrics().addMetric(response.statusCode < 300 ? 'WebhookAccepted' : 'WebhookRejected', MetricUnit.Count, 1);
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
};

export const handler = instrument(rawHandler);
