// Local fake of End User Messaging SMS: the awsJson1_0 wire format @aws-sdk/client-pinpoint-sms-voice-v2
// speaks (its AwsJson1_0Protocol, serviceTarget PinpointSMSVoiceV2): a JSON POST to `/` with
// `X-Amz-Target: PinpointSMSVoiceV2.<Operation>` and `Content-Type: application/x-amz-json-1.0`; answers
// in JSON, errors as `{ "__type": "<namespace>#<Name>", "Message": …, "Reason": … }`, which the SDK turns
// into the named exception with its members (Reason, Fields, ResourceType, ResourceId).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SERVICE_TARGET = 'PinpointSMSVoiceV2';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const NAMESPACE = 'com.amazonaws.pinpointsmsvoicev2';

/** The operation a request names (`SendTextMessage`), or undefined when it is not an awsJson1_0 call of this service. */
export function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  const type = req.headers['content-type'] ?? '';
  if (req.method !== 'POST' || typeof target !== 'string' || !type.startsWith(JSON_CONTENT_TYPE)) return undefined;
  const [service, operation] = target.split('.');
  return service === SERVICE_TARGET && operation ? operation : undefined;
}

// awsJson1_0 has no per-error HTTP status in this service's model (no httpError traits): client faults
// answer 400 and server faults 500, as AWS JSON services do. The SDK reads the name from `__type`.
const STATUS_OF: Readonly<Record<string, number>> = {
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  MissingAuthenticationTokenException: 403,
};

export const statusOf = (name: string): number => STATUS_OF[name] ?? 400;

/** An error's name and, for the exceptions that have one, its Reason: `ValidationException:INVALID_ARN`. */
export interface ErrorSpec {
  name: string;
  reason?: string;
}

/** `Name` or `Name:REASON`, as the fake's knobs take them. */
export function errorSpec(text: string): ErrorSpec {
  const [name, reason] = text.split(':');
  return { name, ...(reason ? { reason } : {}) };
}

export function answer(res: ServerResponse, body: unknown): void {
  send(res, 200, body);
}

export function answerError(res: ServerResponse, spec: ErrorSpec, message: string, members: Record<string, unknown> = {}): void {
  send(res, statusOf(spec.name), { __type: `${NAMESPACE}#${spec.name}`, Message: message, ...(spec.reason ? { Reason: spec.reason } : {}), ...members });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
