// End User Messaging SMS channel (sms-eum) against its fake (sms-eum/fake/), through the real adapter as
// the delivery function builds it from the module's config, the SDK's real awsJson1_0 requests and its
// own parsing of the answers: what is sent, what the outbox records, the service's errors sorted into
// failures by eum-errors.ts, one request per send, and the module's config, local hook and deploy binding.
import { DescribePhoneNumbersCommand, PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { StaticSecretReader } from '#adapters/aws/secrets';
import { eumFailure } from '#adapters/channels/sms-eum/eum-errors';
import { smsEum } from '#adapters/channels/sms-eum/index';
import { LOCAL_ORIGINATION_IDENTITY, startFakeSmsEum, type RunningEumSmsFake } from '#adapters/channels/sms-eum/local';
import { moduleConfig } from '#adapters/module-kit';
import type { ChannelError } from '#core/errors';
import type { CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import { startRecorder, type Recorder } from '#local/recorder';
import { channelFailure, refusedUrl, startRawServer, type RawServer } from './channel-test-kit';

const CODE = 'GC-7Q2X-9KLM';
const PIN = '4821';
const TOKEN = 'Rv7QxL2mNp8KdW4tYc6HbJ0s';
const PHONE = '+966501234567';
const REF = 'S1/O1/L1#1';
const REGION = 'me-south-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const message: CustomerMessage = {
  kind: 'CODE',
  locale: 'ar',
  to: { name: 'سارة', phone: PHONE, email: 'sara@example.com' },
  ref: REF,
  orderReference: '1234',
  customerName: 'سارة',
  productName: 'بطاقة iTunes 50',
  code: { code: CODE, pin: PIN },
};
const link: CustomerMessage = { ...message, locale: 'en', customerName: 'Sara', code: undefined, reveal: { url: `https://api.example/c/${TOKEN}`, expiresAt: '2026-07-14T09:30:00Z' } };

let outbox: Recorder;
let running: RunningEumSmsFake;
let channel: DeliveryChannel;
const seen: ChannelError[] = [];
const failure = (attempt: Promise<unknown>) => channelFailure(attempt, seen);

/** The channel as the delivery function makes it: the module's config from the env (the fake's, plus `env`). */
const channelWith = (env: Record<string, string> = {}) => smsEum.create(moduleConfig(smsEum, { ...running.env, ...env }), { traced: (c) => c, secrets: new StaticSecretReader({}) });
const lastRequest = () => running.fake.accepted().at(-1)!.request;

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: REGION, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey });
  outbox = await startRecorder();
  running = await startFakeSmsEum(outbox);
  channel = channelWith();
});

afterAll(async () => {
  await running.stop();
  await outbox.stop();
});

beforeEach(() => running.fake.setOptions({ failRecipients: {}, failureRate: 0, failureCode: undefined, latencyMs: 0, pricePerMessage: undefined }));

describe('sms-eum channel: SendTextMessage to the fake', () => {
  it('sends a TRANSACTIONAL text from the configured identity, the ref as context, and returns the MessageId', async () => {
    const receipt = await channel.send(message);
    const sent = running.fake.accepted().at(-1)!;
    expect(receipt.providerMessageId).toBe(sent.messageId);
    expect(sent.messageId).toMatch(UUID);
    // Exactly these fields: no configuration set, price cap or TTL when none is configured.
    expect(sent.request).toEqual({
      DestinationPhoneNumber: PHONE,
      OriginationIdentity: LOCAL_ORIGINATION_IDENTITY,
      MessageBody: composePlainText(message).body,
      MessageType: 'TRANSACTIONAL',
      Context: { ref: REF },
    });
    expect(sent.request.MessageBody).toContain(CODE);
  });

  it('records into the real outbox: channel sms-eum, kind SMS, the ref from Context, the text as body', async () => {
    await channel.send(message);
    expect(outbox.messages().at(-1)).toMatchObject({ channel: 'sms-eum', kind: 'SMS', locale: '', to: { phone: PHONE }, ref: REF, subject: '', body: composePlainText(message).body });
  });

  it('a reveal-link message sends the link text: the URL and its expiry, no code', async () => {
    await channel.send(link);
    const body = outbox.messages().at(-1)!.body;
    expect(body).toBe(composePlainText(link).body);
    expect(body).toContain(`https://api.example/c/${TOKEN}`);
    expect(body).toContain('2026-07-14');
    expect(body).not.toContain(CODE);
    expect(lastRequest().Context).toEqual({ ref: REF });
  });

  it('sends the configured configuration set, price cap and time to live', async () => {
    await channelWith({ EUM_SMS_CONFIGURATION_SET: 'streamsync-events', EUM_SMS_MAX_PRICE: '0.10', EUM_SMS_TIME_TO_LIVE_SECONDS: '3600' }).send(message);
    expect(lastRequest()).toMatchObject({ ConfigurationSetName: 'streamsync-events', MaxPrice: '0.10', TimeToLive: 3600 });
  });

  it('leaves Context out for a ref the service would not take (white space), and the outbox ref empty', async () => {
    await channel.send({ ...message, ref: 'S1/O 1/L1' });
    expect(lastRequest().Context).toBeUndefined();
    expect(outbox.messages().at(-1)!.ref).toBe('');
  });

  it('refuses a contact without a mobile number before any request', async () => {
    const before = running.fake.requests().length;
    expect(channel.canReach({ email: 'sara@example.com' })).toBe(false);
    expect(channel.canReach({ phone: '0501234567' })).toBe(false);
    expect(await failure(channel.send({ ...message, to: { email: 'sara@example.com' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_PHONE' });
    expect(running.fake.requests()).toHaveLength(before);
  });
});

describe('sms-eum channel: the service’s errors, as the fake answers them', () => {
  it.each([
    ['ValidationException:DESTINATION_COUNTRY_BLOCKED', 'PERMANENT'],
    ['ValidationException:INVALID_ARN', 'PERMANENT'],
    ['ValidationException:SENDER_ID_NOT_REGISTERED', 'PERMANENT'],
    ['ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT', 'PERMANENT'],
    ['AccessDeniedException', 'PERMANENT'],
    ['ResourceNotFoundException', 'PERMANENT'],
    // The monthly spend limit: not over in minutes, so the chain falls through (eum-errors.ts).
    ['ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT', 'PERMANENT'],
    ['ThrottlingException', 'TRANSIENT'],
    ['InternalServerException', 'TRANSIENT'],
  ] as const)('%s → %s, in one request, naming the ref and the error only', async (refusal, kind) => {
    running.fake.setOptions({ failRecipients: { [PHONE]: refusal } });
    const [name, reason] = refusal.split(':');
    const status = name === 'InternalServerException' ? 500 : 400;
    const before = { requests: running.fake.requests().length, outbox: outbox.messages().length };
    const err = await failure(channel.send(message));
    expect(err).toMatchObject({ failure: kind, reason: refusal, message: `sms-eum: ${REF}: End User Messaging ${name}${reason ? ` ${reason}` : ''} (HTTP ${status})` });
    expect(running.fake.requests().length - before.requests).toBe(1);
    expect(outbox.messages()).toHaveLength(before.outbox);
  });

  it('failRecipients matches the number with or without its +, and leaves other numbers alone', async () => {
    running.fake.setOptions({ failRecipients: { '966501234567': 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT' } });
    expect(await failure(channel.send(message))).toMatchObject({ failure: 'PERMANENT', reason: 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT' });
    await expect(channel.send({ ...message, to: { phone: '+966501111111' } })).resolves.toHaveProperty('providerMessageId');
  });

  it('failureRate refuses with failureCode (default InternalServerException) before anything is recorded; an unmodelled 503 is TRANSIENT', async () => {
    const before = outbox.messages().length;
    running.fake.setOptions({ failureRate: 1 });
    expect(await failure(channel.send(message))).toMatchObject({ failure: 'TRANSIENT', reason: 'InternalServerException' });
    running.fake.setOptions({ failureRate: 1, failureCode: 'ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' });
    expect(await failure(channel.send(message))).toMatchObject({ failure: 'PERMANENT', reason: 'ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' });
    running.fake.setOptions({ failureRate: 1, failureCode: 'ServiceUnavailableException' });
    expect(await failure(channel.send(message))).toMatchObject({ failure: 'TRANSIENT', message: expect.stringContaining('(HTTP 503)') });
    expect(outbox.messages()).toHaveLength(before);
  });

  it('a price over MaxPrice is refused, not sent: PERMANENT ValidationException PRICE_OVER_THRESHOLD', async () => {
    const before = outbox.messages().length;
    running.fake.setOptions({ pricePerMessage: 0.25 });
    expect(await failure(channelWith({ EUM_SMS_MAX_PRICE: '0.10' }).send(message))).toMatchObject({ failure: 'PERMANENT', reason: 'ValidationException:PRICE_OVER_THRESHOLD' });
    await expect(channelWith({ EUM_SMS_MAX_PRICE: '0.30' }).send(message)).resolves.toHaveProperty('providerMessageId');
    expect(outbox.messages()).toHaveLength(before + 1);
  });

  it('an identity the account does not have is ResourceNotFoundException, PERMANENT', async () => {
    const other = 'arn:aws:sms-voice:us-east-1:000000000000:phone-number/phone-0123456789abcdef';
    expect(await failure(channelWith({ EUM_SMS_ORIGINATION_IDENTITY: other }).send(message))).toMatchObject({ failure: 'PERMANENT', reason: 'ResourceNotFoundException' });
  });

  it('an answer later than EUM_SMS_TIMEOUT_MS is UNKNOWN_OUTCOME after one request: the service may have sent it', async () => {
    running.fake.setOptions({ latencyMs: 400 });
    const before = { requests: running.fake.requests().length, outbox: outbox.messages().length };
    expect(await failure(channelWith({ EUM_SMS_TIMEOUT_MS: '100' }).send(message))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'timeout' });
    // The fake goes on and sends it: exactly the case the core must not resend blindly.
    await outbox.waitFor((messages) => messages.length === before.outbox + 1, 2_000);
    expect(running.fake.requests().length - before.requests).toBe(1);
  });

  it('nothing listening: TRANSIENT connect-failed (nothing can have been sent)', async () => {
    expect(await failure(channelWith({ EUM_SMS_ENDPOINT_URL: await refusedUrl() }).send(message))).toMatchObject({ failure: 'TRANSIENT', reason: 'connect-failed' });
  });
});

describe('answers that are not the fake’s', () => {
  let server: RawServer;
  let drop = false;
  beforeAll(async () => {
    const quoted = `MessageBody "${CODE} ${PIN} ${TOKEN}" was refused`;
    server = await startRawServer((req, res) =>
      drop
        ? req.socket.destroy()
        : res
            .writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' })
            .end(JSON.stringify({ __type: 'com.amazonaws.pinpointsmsvoicev2#ValidationException', Message: quoted, Reason: 'FIELD_VALIDATION_FAILED', Fields: [{ Name: 'MessageBody', Message: quoted }] })),
    );
  });
  afterAll(() => server.stop());

  it('an error never repeats the service’s message text, which can quote the SMS: only its name and reason', async () => {
    const err = await failure(channelWith({ EUM_SMS_ENDPOINT_URL: server.url }).send(message));
    expect(err).toMatchObject({ failure: 'PERMANENT', reason: 'ValidationException:FIELD_VALIDATION_FAILED', message: `sms-eum: ${REF}: End User Messaging ValidationException FIELD_VALIDATION_FAILED (HTTP 400)` });
  });

  it('a connection dropped after the request was sent is UNKNOWN_OUTCOME', async () => {
    drop = true;
    expect(await failure(channelWith({ EUM_SMS_ENDPOINT_URL: server.url }).send(message))).toMatchObject({ failure: 'UNKNOWN_OUTCOME' });
    drop = false;
  });

  it('failures without an HTTP answer: credentials TRANSIENT, a 2xx it cannot read UNKNOWN_OUTCOME, a reason never copied unless it is a token', () => {
    expect(eumFailure(REF, Object.assign(new Error('no credentials'), { name: 'CredentialsProviderError' }))).toMatchObject({ failure: 'TRANSIENT', reason: 'CredentialsProviderError' });
    expect(eumFailure(REF, Object.assign(new Error('bad json'), { $metadata: { httpStatusCode: 200 } }))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'unreadable' });
    const odd = eumFailure(REF, { name: 'ValidationException', Reason: `${CODE} here`, $metadata: { httpStatusCode: 400 } });
    expect(odd).toMatchObject({ failure: 'PERMANENT', reason: 'ValidationException' });
    seen.push(odd);
  });
});

describe('the fake refuses what it does not serve, as the service does', () => {
  let client: PinpointSMSVoiceV2Client;
  beforeAll(() => {
    client = new PinpointSMSVoiceV2Client({ endpoint: running.env.EUM_SMS_ENDPOINT_URL, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => client.destroy());

  it('another operation: UnknownOperationException, HTTP 400', async () => {
    await expect(client.send(new DescribePhoneNumbersCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  });

  it('a number not in E.164, an empty body, a bad MaxPrice, TTL or context: ValidationException with its field, nothing recorded', async () => {
    const before = outbox.messages().length;
    const base = { DestinationPhoneNumber: PHONE, OriginationIdentity: LOCAL_ORIGINATION_IDENTITY, MessageBody: 'x' };
    for (const [input, field] of [
      [{ ...base, DestinationPhoneNumber: '0501234567' }, 'DestinationPhoneNumber'],
      [{ ...base, MessageBody: '' }, 'MessageBody'],
      [{ ...base, MessageBody: 'x'.repeat(1601) }, 'MessageBody'],
      [{ ...base, MaxPrice: '10 SAR' }, 'MaxPrice'],
      [{ ...base, TimeToLive: 3 }, 'TimeToLive'],
      [{ ...base, Context: { ref: 'has space' } }, 'Context'],
    ] as const) {
      await expect(client.send(new SendTextMessageCommand(input))).rejects.toMatchObject({ name: 'ValidationException', Fields: [expect.objectContaining({ Name: field })] });
    }
    await expect(client.send(new SendTextMessageCommand({ ...base, OriginationIdentity: 'arn:aws:sms-voice:nowhere' }))).rejects.toMatchObject({ name: 'ValidationException', Reason: 'INVALID_ARN' });
    expect(outbox.messages()).toHaveLength(before);
  });

  it('an unsigned request: 403 MissingAuthenticationTokenException', async () => {
    const res = await fetch(running.env.EUM_SMS_ENDPOINT_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'PinpointSMSVoiceV2.SendTextMessage' },
      body: JSON.stringify({ DestinationPhoneNumber: PHONE, MessageBody: 'x' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ __type: expect.stringMatching(/#MissingAuthenticationTokenException$/) });
  });
});

describe('sms-eum module', () => {
  it('config: the origination identity is required and must be a phone-number, pool or sender-id ARN; the rest optional', () => {
    const identity = LOCAL_ORIGINATION_IDENTITY;
    expect(moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: identity })).toEqual({ EUM_SMS_ORIGINATION_IDENTITY: identity, EUM_SMS_TIMEOUT_MS: 5000 });
    // An empty variable (a stack parameter left empty) means "not set".
    expect(moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: identity, EUM_SMS_CONFIGURATION_SET: '', EUM_SMS_MAX_PRICE: '' })).toEqual({ EUM_SMS_ORIGINATION_IDENTITY: identity, EUM_SMS_TIMEOUT_MS: 5000 });
    for (const ok of ['arn:aws:sms-voice:me-south-1:123456789012:phone-number/phone-0123456789abcdef', 'arn:aws:sms-voice:me-south-1:123456789012:pool/pool-0123456789abcdef']) {
      expect(moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: ok }).EUM_SMS_ORIGINATION_IDENTITY).toBe(ok);
    }
    expect(() => moduleConfig(smsEum, {})).toThrow('Invalid configuration of sms-eum: EUM_SMS_ORIGINATION_IDENTITY');
    for (const bad of ['+966501234567', 'StreamSync', 'arn:aws:sms-voice:me-south-1:123456789012:opt-out-list/Default', 'arn:aws:sns:me-south-1:123456789012:sender-id/X/SA']) {
      expect(() => moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: bad })).toThrow('EUM_SMS_ORIGINATION_IDENTITY');
    }
    expect(() => moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: identity, EUM_SMS_MAX_PRICE: '10' })).toThrow('EUM_SMS_MAX_PRICE');
    expect(() => moduleConfig(smsEum, { EUM_SMS_ORIGINATION_IDENTITY: identity, EUM_SMS_ENDPOINT_URL: 'not a url' })).toThrow('EUM_SMS_ENDPOINT_URL');
  });

  it('its local hook starts the fake and points EUM_SMS_ENDPOINT_URL and the identity at it', async () => {
    const started = await (await smsEum.local!()).startFake(outbox);
    try {
      expect(started.env).toEqual({ EUM_SMS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), EUM_SMS_ORIGINATION_IDENTITY: LOCAL_ORIGINATION_IDENTITY });
    } finally {
      await started.stop();
    }
  });

  it('its deploy binding: the three parameters, their env vars (no endpoint), one statement without a wildcard', () => {
    const deploy = smsEum.deploy!;
    expect(Object.keys(deploy.parameters!)).toEqual(['EumSmsOriginationIdentityArn', 'EumSmsConfigurationSet', 'EumSmsMaxPrice']);
    expect(deploy.parameters!.EumSmsOriginationIdentityArn.default).toBeUndefined();
    expect(deploy.env).toEqual({
      EUM_SMS_ORIGINATION_IDENTITY: { parameter: 'EumSmsOriginationIdentityArn' },
      EUM_SMS_CONFIGURATION_SET: { parameter: 'EumSmsConfigurationSet' },
      EUM_SMS_MAX_PRICE: { parameter: 'EumSmsMaxPrice' },
    });
    expect(deploy.statements).toHaveLength(1);
    expect(deploy.statements![0].actions).toEqual(['sms-voice:SendTextMessage']);
    expect(deploy.statements![0].resources.filter((r) => r.includes('*'))).toEqual([]);
    // CloudFormation checks the parameters with these patterns (Java regexes; these are plain enough to read the same in JS).
    const pattern = (name: string) => new RegExp(deploy.parameters![name].allowedPattern!);
    expect(pattern('EumSmsOriginationIdentityArn').test('arn:aws:sms-voice:me-south-1:123456789012:sender-id/StreamSync/SA')).toBe(true);
    expect(pattern('EumSmsOriginationIdentityArn').test('*')).toBe(false);
    expect(['', 'streamsync-events'].every((v) => pattern('EumSmsConfigurationSet').test(v))).toBe(true);
    expect(['', '0.10', '.25'].every((v) => pattern('EumSmsMaxPrice').test(v))).toBe(true);
    expect(pattern('EumSmsMaxPrice').test('1')).toBe(false);
  });
});

it('no code, PIN or reveal-link token appears in any ChannelError message', () => {
  expect(seen.length).toBeGreaterThan(15);
  for (const err of seen) for (const secret of [CODE, PIN, TOKEN]) expect(err.message).not.toContain(secret);
});
