// SMS channel against the fake SNS SMS endpoint (sms/fake/), through the SDK's real awsQuery requests
// and its own parsing of the XML answers: what is published, what the outbox records, and SNS error
// codes sorted into failures by sns-errors.ts. (sns-sms-channel.test.ts mocks the SDK client instead;
// its mock patches every SNSClient, hence a file of its own.)
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { StaticSecretReader } from '#adapters/aws/secrets';
import { sms } from '#adapters/channels/sms/index';
import { startFakeSms, type RunningSmsFake } from '#adapters/channels/sms/local';
import { SnsSmsChannel } from '#adapters/channels/sms/sns-sms-channel';
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
const REGION = 'me-south-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const message: CustomerMessage = {
  kind: 'CODE',
  locale: 'ar',
  to: { name: 'سارة', phone: PHONE, email: 'sara@example.com' },
  ref: 'S1/O1/L1#1',
  orderReference: '1234',
  customerName: 'سارة',
  productName: 'بطاقة iTunes 50',
  code: { code: CODE, pin: PIN },
};
const link: CustomerMessage = { ...message, locale: 'en', customerName: 'Sara', code: undefined, reveal: { url: `https://api.example/c/${TOKEN}`, expiresAt: '2026-07-14T09:30:00Z' } };

let outbox: Recorder;
let running: RunningSmsFake;
let channel: DeliveryChannel;
const seen: ChannelError[] = [];
const failure = (attempt: Promise<unknown>) => channelFailure(attempt, seen);

/** The channel as the delivery function makes it, from the module's config (SMS_ENDPOINT_URL from the fake). */
const channelWith = (env: Record<string, string> = {}) => sms.create(moduleConfig(sms, { ...running.env, ...env }), { traced: (c) => c, secrets: new StaticSecretReader({}) });

/** The real adapter on a client that makes one attempt, as the module's own client does (see the last describe). */
const oneAttempt = (endpoint: string, extra: ConstructorParameters<typeof SNSClient>[0] = {}) =>
  new SnsSmsChannel(new SNSClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1, ...extra }));

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: REGION, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey });
  // As in the local pipeline: the SDK's SNS endpoint is the emulator (here: nothing), SMS goes to the fake.
  process.env.AWS_ENDPOINT_URL_SNS = await refusedUrl();
  outbox = await startRecorder();
  running = await startFakeSms(outbox);
  channel = channelWith();
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SNS;
  await running.stop();
  await outbox.stop();
});

beforeEach(() => running.fake.setOptions({ failRecipients: {}, failureRate: 0, failureCode: undefined, latencyMs: 0 }));

describe('sms channel: Publish to the fake', () => {
  it('publishes a Transactional SMS to the phone number at SMS_ENDPOINT_URL, and returns the fake’s MessageId', async () => {
    const receipt = await channel.send(message);
    const sent = running.fake.accepted().at(-1)!;
    expect(receipt.providerMessageId).toBe(sent.messageId);
    expect(sent.messageId).toMatch(UUID);
    expect(sent).toMatchObject({
      phoneNumber: PHONE,
      message: composePlainText(message).body,
      attributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    expect(sent.message).toContain(CODE);
  });

  it('records into the real outbox: kind SMS (nothing on the wire says more), no ref, no subject, the text as body', async () => {
    await channel.send(message);
    expect(outbox.messages().at(-1)).toMatchObject({ channel: 'sms', kind: 'SMS', locale: '', to: { phone: PHONE }, ref: '', subject: '', body: composePlainText(message).body });
  });

  it('a reveal-link message arrives with the URL intact, and no code', async () => {
    await channel.send(link);
    const body = outbox.messages().at(-1)!.body;
    expect(body).toContain(`https://api.example/c/${TOKEN}`);
    expect(body).not.toContain(CODE);
  });

  it('sends the configured sender id as the SenderID attribute', async () => {
    await channelWith({ SMS_SENDER_ID: 'StreamSync' }).send(message);
    expect(running.fake.accepted().at(-1)!.attributes['AWS.SNS.SMS.SenderID']).toEqual({ DataType: 'String', StringValue: 'StreamSync' });
  });

  it('refuses a contact without a mobile number before any request', async () => {
    const before = running.fake.requests().length;
    expect(await failure(channel.send({ ...message, to: { email: 'sara@example.com' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_PHONE' });
    expect(running.fake.requests()).toHaveLength(before);
  });
});

describe('sms channel: SNS errors from the fake', () => {
  it.each([
    ['InvalidParameter', 'InvalidParameterException', 'PERMANENT'],
    ['ParameterValueInvalid', 'InvalidParameterValueException', 'PERMANENT'],
    ['OptedOut', 'OptedOutException', 'PERMANENT'],
    ['AuthorizationError', 'AuthorizationErrorException', 'PERMANENT'],
    ['EndpointDisabled', 'EndpointDisabledException', 'PERMANENT'],
    ['Throttled', 'ThrottledException', 'TRANSIENT'],
    ['InternalError', 'InternalErrorException', 'TRANSIENT'],
    ['KMSThrottling', 'KMSThrottlingException', 'TRANSIENT'],
  ] as const)('failRecipients %s → the SDK’s %s → %s, naming the ref and the error only', async (code, name, kind) => {
    running.fake.setOptions({ failRecipients: { [PHONE]: code } });
    const before = outbox.messages().length;
    const err = await failure(oneAttempt(running.env.SMS_ENDPOINT_URL).send(message));
    expect(err).toMatchObject({ failure: kind, reason: name, message: `SNS refused the SMS for S1/O1/L1#1: ${name}` });
    expect(outbox.messages()).toHaveLength(before);
  });

  it('failRecipients matches the number with or without its +, and leaves other numbers alone', async () => {
    running.fake.setOptions({ failRecipients: { '966501234567': 'OptedOut', '+966509999999': 'InvalidParameter' } });
    expect(await failure(oneAttempt(running.env.SMS_ENDPOINT_URL).send(message))).toMatchObject({ failure: 'PERMANENT', reason: 'OptedOutException' });
    await expect(oneAttempt(running.env.SMS_ENDPOINT_URL).send({ ...message, to: { phone: '+966501111111' } })).resolves.toHaveProperty('providerMessageId');
  });

  it('failureRate refuses with failureCode (default InternalError) before anything is recorded', async () => {
    const before = outbox.messages().length;
    running.fake.setOptions({ failureRate: 1 });
    expect(await failure(oneAttempt(running.env.SMS_ENDPOINT_URL).send(message))).toMatchObject({ failure: 'TRANSIENT', reason: 'InternalErrorException' });
    running.fake.setOptions({ failureRate: 1, failureCode: 'Throttled' });
    expect(await failure(oneAttempt(running.env.SMS_ENDPOINT_URL).send(message))).toMatchObject({ failure: 'TRANSIENT', reason: 'ThrottledException' });
    expect(outbox.messages()).toHaveLength(before);
  });

  it('latencyMs past the client’s request timeout is UNKNOWN_OUTCOME: SNS may have sent it', async () => {
    running.fake.setOptions({ latencyMs: 400 });
    const slow = oneAttempt(running.env.SMS_ENDPOINT_URL, { requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
    expect(await failure(slow.send(message))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'TimeoutError' });
  });

  it('the module’s own client (one attempt) ends a transient refusal in the same failure', async () => {
    running.fake.setOptions({ failRecipients: { [PHONE]: 'InternalError' } });
    expect(await failure(channel.send(message))).toMatchObject({ failure: 'TRANSIENT', reason: 'InternalErrorException' });
  });
});

describe('the fake refuses what it does not serve, as SNS does', () => {
  let sns: SNSClient;
  beforeAll(() => {
    sns = new SNSClient({ endpoint: running.env.SMS_ENDPOINT_URL, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => sns.destroy());

  it('another action: InvalidAction, HTTP 400', async () => {
    await expect(sns.send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: 'InvalidAction', $metadata: { httpStatusCode: 400 } });
  });

  it('a publish to a topic, a number not in E.164, an empty message: InvalidParameter, nothing recorded', async () => {
    const before = outbox.messages().length;
    for (const input of [{ TopicArn: 'arn:aws:sns:me-south-1:000000000000:alerts', Message: 'x' }, { PhoneNumber: '0501234567', Message: 'x' }, { PhoneNumber: PHONE, Message: '' }]) {
      await expect(sns.send(new PublishCommand(input))).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    }
    expect(outbox.messages()).toHaveLength(before);
  });

  it('an SMSType or sender id SNS would not take: ParameterValueInvalid', async () => {
    const attempt = (name: string, value: string) =>
      sns.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'x', MessageAttributes: { [name]: { DataType: 'String', StringValue: value } } }));
    await expect(attempt('AWS.SNS.SMS.SMSType', 'Urgent')).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(attempt('AWS.SNS.SMS.SenderID', '12345')).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('an unsigned request: 403 MissingAuthenticationToken, as an XML ErrorResponse', async () => {
    const res = await fetch(running.env.SMS_ENDPOINT_URL, { method: 'POST', body: `Action=Publish&Version=2010-03-31&PhoneNumber=${encodeURIComponent(PHONE)}&Message=x` });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/<ErrorResponse [^>]*><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
  });
});

describe('answers that are not the fake’s', () => {
  let server: RawServer;
  beforeAll(async () => {
    const quoted = `Invalid parameter: Message Reason: "${CODE} ${PIN} ${TOKEN}" was refused`;
    server = await startRawServer((_req, res) =>
      res
        .writeHead(400, { 'Content-Type': 'text/xml' })
        .end(`<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>${quoted}</Message></Error><RequestId>r</RequestId></ErrorResponse>`),
    );
  });
  afterAll(() => server.stop());

  it('an error never repeats SNS’s message text, which can quote the SMS, only its error name', async () => {
    const err = await failure(oneAttempt(server.url).send(message));
    expect(err).toMatchObject({ failure: 'PERMANENT', reason: 'InvalidParameterException', message: 'SNS refused the SMS for S1/O1/L1#1: InvalidParameterException' });
  });
});

describe('sms module', () => {
  it("publishes once: a throttled send is one request, not the SDK's three", async () => {
    running.fake.setOptions({ failRecipients: { '+966500000077': 'Throttled' } });
    const before = running.fake.requests().length;
    await expect(channelWith().send({ ...message, to: { phone: '+966500000077' } })).rejects.toMatchObject({ failure: 'TRANSIENT' });
    expect(running.fake.requests().length - before).toBe(1);
    running.fake.setOptions({ failRecipients: {} });
  });

  it('SMS_ENDPOINT_URL is optional and must be an http(s) URL', () => {
    expect(moduleConfig(sms, {})).toEqual({ SMS_TIMEOUT_MS: 5000 });
    expect(moduleConfig(sms, { SMS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toEqual({ SMS_ENDPOINT_URL: 'http://127.0.0.1:4566', SMS_TIMEOUT_MS: 5000 });
    expect(() => moduleConfig(sms, { SMS_ENDPOINT_URL: 'not a url' })).toThrow('Invalid configuration of sms: SMS_ENDPOINT_URL');
  });

  it('its local hook starts the fake and points SMS_ENDPOINT_URL at it; the deploy binding sets no endpoint', async () => {
    const started = await (await sms.local!()).startFake(outbox);
    try {
      expect(started.env).toEqual({ SMS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    } finally {
      await started.stop();
    }
    expect(sms.deploy?.env).toBeUndefined();
  });
});

it('no code, PIN or reveal-link token appears in any ChannelError message', () => {
  expect(seen.length).toBeGreaterThan(10);
  for (const err of seen) for (const secret of [CODE, PIN, TOKEN]) expect(err.message).not.toContain(secret);
});
