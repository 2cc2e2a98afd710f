// Local fake of SNS SMS: the awsQuery wire format @aws-sdk/client-sns speaks (a form-encoded POST to `/`
// with `Action`, `Version` and the flattened input), and SNS's XML answers: `<PublishResponse>` and
// `<ErrorResponse>` with the error code and the HTTP status the SDK pairs with it.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const SNS_VERSION = '2010-03-31';
const XMLNS = `http://sns.amazonaws.com/doc/${SNS_VERSION}/`;

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
}

/** What a Publish request carries that the fake looks at. */
export interface PublishParams {
  phoneNumber?: string;
  message?: string;
  topicArn?: string;
  targetArn?: string;
  attributes: Record<string, MessageAttribute>;
}

/** The form fields of a request body, by name (the last value of a repeated name). */
export function parseForm(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

/** Publish's fields; `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` become a map. */
export function publishParams(form: Readonly<Record<string, string>>): PublishParams {
  const attributes: Record<string, MessageAttribute> = {};
  for (const [key, name] of Object.entries(form)) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key);
    if (!entry) continue;
    const prefix = `MessageAttributes.entry.${entry[1]}.Value`;
    attributes[name] = { DataType: form[`${prefix}.DataType`] ?? '', StringValue: form[`${prefix}.StringValue`] };
  }
  return { phoneNumber: form.PhoneNumber, message: form.Message, topicArn: form.TopicArn, targetArn: form.TargetArn, attributes };
}

// The HTTP status of each SNS error code, as the SDK's error registry has it (client-sns dist-cjs),
// plus AWS Query's common errors the fake answers.
const STATUS_OF: Readonly<Record<string, number>> = {
  AuthorizationError: 403,
  InternalError: 500,
  InvalidParameter: 400,
  ParameterValueInvalid: 400,
  EndpointDisabled: 400,
  OptedOut: 400,
  Throttled: 429,
  KMSThrottling: 400,
  KMSInvalidState: 400,
  NotFound: 404,
  InvalidAction: 400,
  MissingAuthenticationToken: 403,
  ServiceUnavailable: 503,
};

export const statusOf = (code: string): number => STATUS_OF[code] ?? 400;

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export function answerPublish(res: ServerResponse, messageId: string): void {
  const requestId = randomUUID();
  xml(
    res,
    200,
    requestId,
    `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${escapeXml(messageId)}</MessageId></PublishResult>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}

/** SNS's error body; Type is Sender for 4xx, Receiver for 5xx. */
export function answerError(res: ServerResponse, code: string, message: string, status = statusOf(code)): void {
  const requestId = randomUUID();
  xml(
    res,
    status,
    requestId,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function xml(res: ServerResponse, status: number, requestId: string, body: string): void {
  const text = `<?xml version="1.0"?>\n${body}\n`;
  res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
