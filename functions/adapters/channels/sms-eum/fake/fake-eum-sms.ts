// Local fake of AWS End User Messaging SMS SendTextMessage on node:http, for `npm start` and the adapter
// tests: speaks the awsJson1_0 protocol the SDK uses (aws-json.ts), checks what the service checks of a
// text message as far as its API reference says, records what it accepts into the outbox and answers
// { MessageId }; refuses with the service's error names and reasons when told to. Any other operation
// is refused: this fake sends SMS, it manages nothing.
import { closeServer, listenOnLocalhost, parseJsonObject, readBody } from '#local/fake-http';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { OutboxEntry } from '../../channel-module';
import { answer, answerError, errorSpec, operationOf, type ErrorSpec } from './aws-json';

/** What the local runtime sends from: a Saudi sender ID, as a merchant would register one. */
export const LOCAL_ORIGINATION_IDENTITY = 'arn:aws:sms-voice:us-east-1:000000000000:sender-id/StreamSync/SA';

export interface FakeEumSmsOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Delay before every answer. */
  latencyMs?: number;
  /** 0..1: share of sends refused with `failureCode` before the request is checked. */
  failureRate?: number;
  /** `Name` or `Name:REASON` of those refusals. Default InternalServerException (HTTP 500). */
  failureCode?: string;
  /**
   * Destination numbers (E.164, with or without '+') always refused with `Name` or `Name:REASON`, e.g.
   * `ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT`, `ValidationException:DESTINATION_COUNTRY_BLOCKED`,
   * `AccessDeniedException`, `ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT` (permanent),
   * `ThrottlingException`, `InternalServerException` (transient).
   */
  failRecipients?: Record<string, string>;
  /** The origination identities (ARNs) the account has; any other is ResourceNotFoundException. */
  originationIdentities?: string[];
  /** Price of one message in US dollars: a MaxPrice below it is ValidationException PRICE_OVER_THRESHOLD. Default 0.05. */
  pricePerMessage?: number;
}

/** The SendTextMessage fields the fake looks at, as the SDK serialized them. */
export interface SendTextMessageBody {
  DestinationPhoneNumber?: unknown;
  OriginationIdentity?: unknown;
  MessageBody?: unknown;
  MessageType?: unknown;
  ConfigurationSetName?: unknown;
  MaxPrice?: unknown;
  TimeToLive?: unknown;
  Context?: unknown;
}

export interface AcceptedSms {
  messageId: string;
  /** The request body as received. */
  request: SendTextMessageBody;
}

export interface FakeEumSms {
  url: string;
  accepted(): AcceptedSms[];
  /** The body of every signed SendTextMessage that reached the fake, accepted or not (SDK retries show here). */
  requests(): SendTextMessageBody[];
  setOptions(partial: Partial<FakeEumSmsOptions>): void;
  stop(): Promise<void>;
}

// The API reference's limits, as the fake reads them: E.164 destination, identity and configuration set
// by id, name or ARN, at most 1600 characters of text, MaxPrice in dollars with 2–5 decimals, a TTL of
// 5 s to 72 h, at most 5 context entries of non-blank keys (≤ 100) and values (≤ 800).
const E164 = /^\+[1-9]\d{1,18}$/;
const IDENTITY = /^[A-Za-z0-9_:/+-]{1,256}$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_:/-]{1,256}$/;
const MAX_PRICE = /^[0-9]{0,2}\.[0-9]{2,5}$/;
const MAX_BODY_CHARS = 1600;
const MESSAGE_TYPES = new Set(['TRANSACTIONAL', 'PROMOTIONAL']);

export async function startFakeEumSms(record: (entry: OutboxEntry) => void, initial: FakeEumSmsOptions = {}): Promise<FakeEumSms> {
  let options: FakeEumSmsOptions = { ...initial };
  const accepted: AcceptedSms[] = [];
  const requests: SendTextMessageBody[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) answerError(res, { name: 'InternalServerException' }, 'Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    // Any SigV4 signature is accepted; an unsigned call is not an SDK call.
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
      return answerError(res, { name: 'MissingAuthenticationTokenException' }, 'Missing Authentication Token');
    }
    const operation = operationOf(req);
    if (operation !== 'SendTextMessage' || new URL(req.url ?? '/', 'http://fake').pathname !== '/') {
      return answerError(res, { name: 'UnknownOperationException' }, `${operation ?? '(no operation)'}: this fake serves PinpointSMSVoiceV2.SendTextMessage only`);
    }
    const body = parseJsonObject(raw) as SendTextMessageBody | undefined;
    if (!body) return answerError(res, { name: 'SerializationException' }, 'The request body is not a JSON object');
    requests.push(body);
    if ((options.failureRate ?? 0) > 0 && Math.random() < (options.failureRate ?? 0)) {
      const spec = errorSpec(options.failureCode ?? 'InternalServerException');
      return answerError(res, spec, `Refused by the fake's failure rate (${spec.name})`);
    }
    const problem = invalid(body, options);
    if (problem) return answerError(res, problem.spec, problem.message, problem.members);
    const phone = body.DestinationPhoneNumber as string;
    const refusedWith = options.failRecipients?.[phone] ?? options.failRecipients?.[phone.slice(1)];
    if (refusedWith !== undefined) return answerError(res, errorSpec(refusedWith), `Refused for this destination (${refusedWith})`);

    const messageId = randomUUID();
    accepted.push({ messageId, request: body });
    record(outboxEntryOf(body));
    answer(res, { MessageId: messageId });
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

interface Problem {
  spec: ErrorSpec;
  message: string;
  members?: Record<string, unknown>;
}

/** What the service would refuse, and how; undefined when the message is sendable. */
function invalid(body: SendTextMessageBody, options: FakeEumSmsOptions): Problem | undefined {
  const field = (name: string, message: string, reason = 'FIELD_VALIDATION_FAILED'): Problem => ({
    spec: { name: 'ValidationException', reason },
    message,
    members: { Fields: [{ Name: name, Message: message }] },
  });
  const { DestinationPhoneNumber: to, OriginationIdentity: from, MessageBody: text, MessageType: type, ConfigurationSetName: set, MaxPrice: maxPrice, TimeToLive: ttl, Context: context } = body;
  if (to === undefined) return field('DestinationPhoneNumber', 'DestinationPhoneNumber is required', 'MISSING_PARAMETER');
  if (typeof to !== 'string' || !E164.test(to)) return field('DestinationPhoneNumber', 'DestinationPhoneNumber must be in E.164 format', 'CANNOT_PARSE');
  // The service would pick an identity itself; StreamSync always names one, so the fake insists.
  if (typeof from !== 'string' || !IDENTITY.test(from)) return field('OriginationIdentity', 'OriginationIdentity is required by this fake', 'MISSING_PARAMETER');
  if (from.startsWith('arn:') && !/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:[a-z-]+\/.+$/.test(from)) return field('OriginationIdentity', 'OriginationIdentity is not a valid ARN', 'INVALID_ARN');
  if (!(options.originationIdentities ?? [LOCAL_ORIGINATION_IDENTITY]).includes(from)) {
    return { spec: { name: 'ResourceNotFoundException' }, message: 'The origination identity does not exist', members: { ResourceType: resourceTypeOf(from), ResourceId: from } };
  }
  if (typeof text !== 'string' || text.length === 0) return field('MessageBody', 'MessageBody is required by this fake (it sends no templates)', 'MISSING_PARAMETER');
  // The reason AWS gives for an over-long body is not documented; MAXIMUM_SIZE_EXCEEDED is this fake's guess.
  if (text.length > MAX_BODY_CHARS) return field('MessageBody', `MessageBody is over ${MAX_BODY_CHARS} characters`, 'MAXIMUM_SIZE_EXCEEDED');
  if (type !== undefined && !MESSAGE_TYPES.has(type as string)) return field('MessageType', 'MessageType must be TRANSACTIONAL or PROMOTIONAL');
  if (set !== undefined && (typeof set !== 'string' || !CONFIGURATION_SET.test(set))) return field('ConfigurationSetName', 'ConfigurationSetName is not a name or an ARN');
  if (maxPrice !== undefined && (typeof maxPrice !== 'string' || !MAX_PRICE.test(maxPrice))) return field('MaxPrice', 'MaxPrice must be dollars with 2 to 5 decimals');
  if (ttl !== undefined && (!Number.isInteger(ttl) || (ttl as number) < 5 || (ttl as number) > 259_200)) return field('TimeToLive', 'TimeToLive must be 5 to 259200 seconds');
  if (context !== undefined) {
    const entries = typeof context === 'object' && context !== null ? Object.entries(context) : [];
    const bad = entries.length === 0 || entries.length > 5 || entries.some(([k, v]) => !/^\S{1,100}$/.test(k) || typeof v !== 'string' || !/^\S{1,800}$/.test(v));
    if (bad) return field('Context', 'Context takes 1 to 5 entries of non-blank keys (100) and values (800)');
  }
  // The reason for a price over MaxPrice is in the SDK's enum (PRICE_OVER_THRESHOLD); that the service uses it here is our reading.
  if (typeof maxPrice === 'string' && Number(maxPrice) < (options.pricePerMessage ?? 0.05)) return field('MaxPrice', 'The price of the message is over MaxPrice', 'PRICE_OVER_THRESHOLD');
  return undefined;
}

const resourceTypeOf = (identity: string) => /:(phone-number|pool|sender-id)\//.exec(identity)?.[1] ?? 'phone-number';

// The request says nothing of the kind or language; the ref comes from Context when the adapter set it.
function outboxEntryOf(body: SendTextMessageBody): OutboxEntry {
  const context = (typeof body.Context === 'object' && body.Context !== null ? body.Context : {}) as Record<string, unknown>;
  const ref = typeof context.ref === 'string' ? context.ref : '';
  return { channel: 'sms-eum', kind: 'SMS', locale: '', to: { phone: body.DestinationPhoneNumber as string }, ref, subject: '', body: body.MessageBody as string };
}
