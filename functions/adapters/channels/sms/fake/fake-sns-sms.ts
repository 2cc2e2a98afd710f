// Local fake of Amazon SNS SMS (Publish to a PhoneNumber) on node:http, for `npm start` and the adapter
// tests: speaks the awsQuery protocol @aws-sdk/client-sns uses (sns-query.ts), checks what SNS checks
// of an SMS publish, records what it accepts into the outbox and answers a MessageId; refuses with
// SNS's error codes when told to. Every other action is refused: SNS topics stay on the emulator.
import { closeServer, listenOnLocalhost, readBody } from '#local/fake-http';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { OutboxEntry } from '../../channel-module';
import { answerError, answerPublish, parseForm, publishParams, SNS_VERSION, type MessageAttribute, type PublishParams } from './sns-query';

export interface FakeSnsSmsOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Delay before every answer. */
  latencyMs?: number;
  /** 0..1: share of publishes refused with `failureCode` before the parameters are checked. */
  failureRate?: number;
  /** SNS error code of those refusals. Default InternalError (HTTP 500). */
  failureCode?: string;
  /**
   * Phone numbers (E.164, with or without '+') always refused with this SNS error code:
   * InvalidParameter, OptedOut, AuthorizationError (permanent), Throttled, InternalError (transient).
   */
  failRecipients?: Record<string, string>;
}

export interface AcceptedSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  attributes: Record<string, MessageAttribute>;
}

export interface FakeSnsSms {
  url: string;
  accepted(): AcceptedSms[];
  /** The form fields of every signed request that reached the fake, accepted or not (SDK retries show here). */
  requests(): Array<Record<string, string>>;
  setOptions(partial: Partial<FakeSnsSmsOptions>): void;
  stop(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const SMS_TYPES = new Set(['Promotional', 'Transactional']);
// AWS: up to 11 letters, digits or hyphens, at least one letter, no spaces, starting and ending with a
// letter or digit. A publish may carry at most 1600 bytes of text (SNS splits it into SMS parts).
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,9}[A-Za-z0-9])?$/;
const MAX_MESSAGE_BYTES = 1600;

export async function startFakeSnsSms(record: (entry: OutboxEntry) => void, initial: FakeSnsSmsOptions = {}): Promise<FakeSnsSms> {
  let options: FakeSnsSmsOptions = { ...initial };
  const accepted: AcceptedSms[] = [];
  const requests: Array<Record<string, string>> = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) answerError(res, 'InternalError', 'Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    // Any SigV4 signature is accepted; an unsigned call is not an SDK call.
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) return answerError(res, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const form = req.method === 'POST' && new URL(req.url ?? '/', 'http://fake').pathname === '/' ? parseForm(raw) : {};
    if (form.Action !== 'Publish' || form.Version !== SNS_VERSION) {
      return answerError(res, 'InvalidAction', `The action ${form.Action ?? '(none)'} is not valid for this endpoint: this fake serves SMS Publish (${SNS_VERSION}) only`);
    }
    requests.push(form);
    if ((options.failureRate ?? 0) > 0 && Math.random() < (options.failureRate ?? 0)) {
      const code = options.failureCode ?? 'InternalError';
      return answerError(res, code, `Refused by the fake's failure rate (${code})`);
    }
    const params = publishParams(form);
    const problem = invalid(params);
    if (problem) return answerError(res, problem.code, problem.message);
    const phoneNumber = params.phoneNumber!;
    const refusedWith = options.failRecipients?.[phoneNumber] ?? options.failRecipients?.[phoneNumber.slice(1)];
    if (refusedWith !== undefined) return answerError(res, refusedWith, `Refused for this phone number (${refusedWith})`);

    const messageId = randomUUID();
    accepted.push({ messageId, phoneNumber, message: params.message!, attributes: params.attributes });
    record(outboxEntryOf(phoneNumber, params.message!));
    answerPublish(res, messageId);
  }

  const base = await listenOnLocalhost(server, options.port);
  return {
    url: base,
    accepted: () => [...accepted],
    requests: () => [...requests],
    setOptions(partial) {
      options = { ...options, ...partial };
    },
    stop: () => closeServer(server),
  };
}

/** What SNS would refuse, and with which code; undefined when the SMS is sendable. */
function invalid(params: PublishParams): { code: string; message: string } | undefined {
  const refuse = (message: string, code = 'InvalidParameter') => ({ code, message });
  if (params.topicArn !== undefined || params.targetArn !== undefined) return refuse('Invalid parameter: this fake publishes SMS to a PhoneNumber only (topics live on the SNS emulator)');
  if (params.phoneNumber === undefined) return refuse('Invalid parameter: PhoneNumber Reason: no value for required parameter');
  if (!E164.test(params.phoneNumber)) return refuse(`Invalid parameter: PhoneNumber Reason: ${params.phoneNumber} is not valid to publish to`);
  if (!params.message) return refuse('Invalid parameter: Empty message');
  // The code SNS answers for an over-long SMS is not documented; InvalidParameter is this fake's guess.
  if (Buffer.byteLength(params.message) > MAX_MESSAGE_BYTES) return refuse(`Invalid parameter: Message too long for SMS (over ${MAX_MESSAGE_BYTES} bytes)`);
  for (const [name, value] of Object.entries(params.attributes)) {
    if (value.DataType !== 'String' || value.StringValue === undefined) return refuse(`Invalid parameter: MessageAttributes Reason: ${name} must be a String with a StringValue`);
  }
  const type = params.attributes['AWS.SNS.SMS.SMSType']?.StringValue;
  if (type !== undefined && !SMS_TYPES.has(type)) return refuse('Invalid parameter: MessageAttributes Reason: AWS.SNS.SMS.SMSType must be Promotional or Transactional', 'ParameterValueInvalid');
  const sender = params.attributes['AWS.SNS.SMS.SenderID']?.StringValue;
  if (sender !== undefined && !SENDER_ID.test(sender)) return refuse('Invalid parameter: MessageAttributes Reason: AWS.SNS.SMS.SenderID is not a valid sender ID', 'ParameterValueInvalid');
  return undefined;
}

// Nothing in an SNS publish says which kind of message it is, its language or its ref, and the adapter
// adds nothing just for the fake: the outbox gets kind 'SMS', no locale, no ref.
function outboxEntryOf(phoneNumber: string, message: string): OutboxEntry {
  return { channel: 'sms', kind: 'SMS', locale: '', to: { phone: phoneNumber }, ref: '', subject: '', body: message };
}
