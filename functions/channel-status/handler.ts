// Channel status function (API Gateway HTTP API): GET|POST /channels/{channel}/status → orders queue.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createStatusReceiverDeps } from '#wiring/status-deps';
import { loadConfig } from '#wiring/config';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { receiveStatus } from './receive-status';

const deps = createStatusReceiverDeps(loadConfig());

export const rawHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const channel = event.pathParameters?.channel ?? event.rawPath.split('/').filter(Boolean)[1] ?? '';
  const answer = await receiveStatus(deps, channel, {
    method: event.requestContext.http.method,
    query: event.queryStringParameters ?? {},
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    rawBody: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
  });
  const log = answer.statusCode >= 400 ? logger.warn : logger.info;
  log.call(logger, 'Channel status webhook answered', { channel, statusCode: answer.statusCode, reason: answer.reason, queued: answer.queued });
  metrics().addMetric(answer.statusCode < 300 ? 'StatusWebhookAccepted' : 'StatusWebhookRejected', MetricUnit.Count, 1);
  return { statusCode: answer.statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: answer.body };
};

export const handler = instrument(rawHandler);
