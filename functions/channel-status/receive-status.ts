// A channel provider's status webhook: verified against the channel's secret, each report on one of
// our code messages becomes a CHANNEL_STATUS message on the orders queue. This function writes no
// table item and holds no code key; the delivery function applies the reports.
import type { ChannelStatusReport, StatusWebhook } from '#adapters/channels/channel-module';
import type { SecretReader } from '#adapters/aws/secrets';
import { InvalidPayloadError } from '#core/errors';
import type { OrderMessage } from '#core/model';
import type { OrderQueue } from '#core/ports/queues';

export interface StatusReceiverDeps {
  /** The deployed channels that have a status webhook, by name. */
  webhooks: Readonly<Record<string, StatusWebhook>>;
  secrets: SecretReader;
  orderQueue: OrderQueue;
}

export interface StatusRequest {
  method: string;
  query: Readonly<Record<string, string | undefined>>;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface StatusAnswer {
  statusCode: number;
  body: string;
  /** For the log only: why a request was refused, how many reports were queued. */
  reason?: string;
  queued?: number;
}

/** Every authentication failure looks the same from outside; the log keeps the reason. */
const UNAUTHORIZED: StatusAnswer = { statusCode: 401, body: 'unauthorized' };

/** `<storeId>/<orderId>/<unitId>`: a code message. Backorder notices (two parts) have nothing to apply. */
const UNIT_REF = /^([^/]+)\/([^/]+)\/([^/]+)$/;

export async function receiveStatus(deps: StatusReceiverDeps, channel: string, request: StatusRequest): Promise<StatusAnswer> {
  const webhook = Object.hasOwn(deps.webhooks, channel) ? deps.webhooks[channel] : undefined;
  if (!webhook || (request.method !== 'GET' && request.method !== 'POST')) return { statusCode: 404, body: 'not found', reason: 'no status webhook' };
  const secret = await deps.secrets.get(webhook.secretName);
  if (request.method === 'GET') {
    // A missing secret answers like a wrong token: nothing tells a caller how the deployment is set up.
    if (secret === undefined) return { statusCode: 403, body: 'forbidden', reason: `secret ${webhook.secretName} missing` };
    const answer = webhook.challenge(request.query, secret);
    return { ...answer, reason: answer.statusCode === 200 ? 'subscription confirmed' : 'subscription check refused' };
  }
  if (secret === undefined) return { ...UNAUTHORIZED, reason: `secret ${webhook.secretName} missing` };
  let reports: ChannelStatusReport[] | 'UNAUTHORIZED';
  try {
    reports = webhook.parse(request.rawBody, request.headers, secret);
  } catch (err) {
    if (err instanceof InvalidPayloadError) return { statusCode: 400, body: 'invalid body', reason: err.message };
    throw err;
  }
  if (reports === 'UNAUTHORIZED') return { ...UNAUTHORIZED, reason: 'signature mismatch' };
  const messages = reports.flatMap((report) => statusMessage(channel, report));
  // A failed enqueue answers 500: the provider retries, and a repeated report changes nothing.
  if (messages.length > 0) await deps.orderQueue.sendMany(messages);
  return { statusCode: 200, body: 'ok', queued: messages.length };
}

function statusMessage(channel: string, report: ChannelStatusReport): OrderMessage[] {
  const ref = report.ref ? UNIT_REF.exec(report.ref) : null;
  if (!ref) return [];
  const [, storeId, orderId, unitId] = ref;
  return [
    {
      kind: 'CHANNEL_STATUS',
      storeId,
      orderId,
      unitId,
      channel,
      providerMessageId: report.providerMessageId,
      status: report.status,
      at: report.timestamp,
      ...(report.errorCode !== undefined && { errorCode: report.errorCode.slice(0, 64) }),
    },
  ];
}
