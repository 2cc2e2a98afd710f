// E-mail channel against the fake SES v2 endpoint, through the SDK's real requests: the SendEmail
// body, the HTML part (escaped, right-to-left for Arabic, a reveal link as a button that only http(s)
// URLs get), and SES errors sorted into failures.
import { StaticSecretReader } from '#adapters/aws/secrets';
import { email } from '#adapters/channels/email/index';
import { LOCAL_FROM_ADDRESS, startFakeEmail, type RunningSesFake } from '#adapters/channels/email/local';
import { escapeHtml, renderEmailHtml } from '#adapters/channels/email/email-html';
import { moduleConfig } from '#adapters/module-kit';
import type { ChannelError } from '#core/errors';
import type { CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { startRecorder, type Recorder } from '#local/recorder';
import { channelFailure, refusedUrl, startRawServer, type RawServer } from './channel-test-kit';

const CODE = 'GC-7Q2X-9KLM';
const PIN = '4821';

const arabic: CustomerMessage = {
  kind: 'CODE',
  locale: 'ar',
  to: { name: 'سارة', phone: '+966501234567', email: 'sara@example.com' },
  ref: 'S1/O1/L1#1',
  orderReference: '1234',
  customerName: 'سارة',
  productName: 'بطاقة iTunes 50',
  code: { code: CODE, pin: PIN },
};
const english: CustomerMessage = { ...arabic, locale: 'en', customerName: 'Sara', productName: 'iTunes 50' };
/** The reveal link's token opens the code: as secret as the code itself. */
const TOKEN = 'Rv7QxL2mNp8KdW4tYc6HbJ0s';
const LINK = `https://api.example/c/${TOKEN}`;
const linkEn: CustomerMessage = { ...english, code: undefined, reveal: { url: LINK, expiresAt: '2026-07-14T09:30:00Z' } };
const linkAr: CustomerMessage = { ...linkEn, locale: 'ar', customerName: 'سارة', productName: 'بطاقة iTunes 50' };

let outbox: Recorder;
let running: RunningSesFake;
let channel: DeliveryChannel;
const seen: ChannelError[] = [];

const channelWith = (env: Record<string, string> = {}) =>
  email.create(moduleConfig(email, { ...running.env, ...env }), { traced: (c) => c, secrets: new StaticSecretReader({}) });

const failure = (attempt: Promise<unknown>) => channelFailure(attempt, seen);

/** Points the SDK at `url`: the client is made on the channel's first send, and reads the variable then. */
const endpoint = (url: string) => {
  process.env.AWS_ENDPOINT_URL_SESV2 = url;
};

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: 'me-south-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  outbox = await startRecorder();
  running = await startFakeEmail(outbox);
  endpoint(running.env.AWS_ENDPOINT_URL_SESV2);
  channel = channelWith();
});

afterAll(async () => {
  await running.stop();
  await outbox.stop();
});

beforeEach(() => {
  endpoint(running.env.AWS_ENDPOINT_URL_SESV2);
  running.fake.setOptions({ failRecipients: {}, latencyMs: 0 });
});

const lastRequest = () => running.fake.accepted().at(-1)!.request;

describe('email channel: SendEmail', () => {
  it('sends subject, text and HTML parts from the configured address, tagged with the kind, and returns the MessageId', async () => {
    const receipt = await channel.send(arabic);
    expect(receipt.providerMessageId).toBe(running.fake.accepted().at(-1)!.messageId);
    const text = `مرحباً سارة،\nشكراً لطلبك رقم 1234 (بطاقة iTunes 50).\nالرمز: ${CODE}\nالرقم السري (PIN): ${PIN}`;
    expect(lastRequest()).toEqual({
      FromEmailAddress: LOCAL_FROM_ADDRESS,
      Destination: { ToAddresses: ['sara@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'رمزك للطلب رقم 1234', Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' }, Html: { Data: renderEmailHtml('ar', 'رمزك للطلب رقم 1234', text.split('\n')), Charset: 'UTF-8' } },
          Headers: [{ Name: 'X-StreamSync-Ref', Value: 'S1/O1/L1#1' }],
        },
      },
      EmailTags: [{ Name: 'kind', Value: 'CODE' }],
    });
  });

  it('records into the real outbox: subject and text body, in the order’s language', async () => {
    await channel.send(english);
    expect(outbox.messages().at(-1)).toMatchObject({
      channel: 'email',
      kind: 'CODE',
      locale: 'en',
      to: { email: 'sara@example.com' },
      ref: 'S1/O1/L1#1',
      subject: 'Your code for order 1234',
      body: `Hello Sara,\nThank you for order 1234 (iTunes 50).\nCode: ${CODE}\nPIN: ${PIN}`,
    });
  });

  it('the HTML part is right-to-left for Arabic and left-to-right for English, inline-styled, one paragraph per line', async () => {
    await channel.send(arabic);
    const ar = lastRequest().Content!.Simple!.Body!.Html!.Data!;
    expect(ar).toContain('<html dir="rtl" lang="ar">');
    expect(ar).toContain('text-align:right');
    expect(ar).toContain(`<p style="margin:0 0 12px 0">الرمز: ${CODE}</p>`);
    expect(ar).not.toMatch(/<style|<script|class=/);
    await channel.send(english);
    const en = lastRequest().Content!.Simple!.Body!.Html!.Data!;
    expect(en).toContain('<html dir="ltr" lang="en">');
    expect(en).toContain('text-align:left');
    expect(en).toContain('<title>Your code for order 1234</title>');
  });

  it('escapes every interpolated value in the HTML part; the text part keeps them as they are', async () => {
    const hostile = '<script>alert("x")</script>';
    await channel.send({ ...english, customerName: hostile, productName: `Tom & Jerry's <b>`, orderReference: '"><img src=x>', code: { code: '<i>A&B</i>' } });
    const { Html, Text } = lastRequest().Content!.Simple!.Body!;
    expect(Html!.Data).not.toMatch(/<script|<img|<b>|<i>/);
    expect(Html!.Data).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(Html!.Data).toContain('Tom &amp; Jerry&#39;s &lt;b&gt;');
    expect(Html!.Data).toContain('<title>Your code for order &quot;&gt;&lt;img src=x&gt;</title>');
    expect(Html!.Data).toContain('Code: &lt;i&gt;A&amp;B&lt;/i&gt;');
    expect(Text!.Data).toContain(`Hello ${hostile},`);
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('sends BACKORDER notices with their own subject and kind tag', async () => {
    await channel.send({ kind: 'BACKORDER', locale: 'en', to: { email: 'sara@example.com' }, ref: 'S1/O2', orderReference: '1235' });
    expect(lastRequest()).toMatchObject({
      Content: { Simple: { Subject: { Data: 'Your order 1235 is on its way' } } },
      EmailTags: [{ Name: 'kind', Value: 'BACKORDER' }],
    });
  });

  it('names the configuration set when one is configured', async () => {
    await channelWith({ SES_CONFIGURATION_SET: 'streamsync-events' }).send(english);
    expect(lastRequest().ConfigurationSetName).toBe('streamsync-events');
  });

  it('refuses a message without an e-mail address (NO_EMAIL) or with a malformed one, before any request', async () => {
    const before = running.fake.accepted().length;
    expect(await failure(channel.send({ ...english, to: { phone: '+966501234567' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_EMAIL' });
    expect(await failure(channel.send({ ...english, to: { email: 'not an address' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'INVALID_EMAIL' });
    expect(running.fake.accepted()).toHaveLength(before);
  });
});

describe('email channel: codes sent as a reveal link', () => {
  const html = () => lastRequest().Content!.Simple!.Body!.Html!.Data!;

  it('the text part has the URL on its own line, and no code', async () => {
    await channel.send(linkEn);
    const text = lastRequest().Content!.Simple!.Body!.Text!.Data!;
    expect(text.split('\n')).toEqual(['Hello Sara,', 'Thank you for order 1234 (iTunes 50).', 'Open your code (the page shows it once):', LINK, 'Link valid until 2026-07-14']);
    expect(`${text}${html()}`).not.toMatch(new RegExp(`${CODE}|${PIN}`));
  });

  it('the HTML part shows the link as a button, then the URL as left-to-right text; Arabic stays right-to-left', async () => {
    await channel.send(linkEn);
    expect(html()).toMatch(new RegExp(`<a href="${LINK}" style="display:inline-block;[^"]*">Open your code</a>`));
    expect(html()).toContain(`<p dir="ltr" style="margin:0 0 12px 0;font-size:13px;color:#52606d;word-break:break-all">${LINK}</p>`);
    await channel.send(linkAr);
    expect(html()).toContain('<html dir="rtl" lang="ar">');
    expect(html()).toContain(`<a href="${LINK}"`);
    expect(html()).toContain('>افتح رمزك</a>');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a malformed URL', 'not a url "><img src=x onerror=alert(1)>'],
    ['a tab-split scheme', 'java\tscript:alert(1)'],
  ])('a %s link never becomes a link: it stays escaped text', (_what, url) => {
    const rendered = renderEmailHtml('en', 'Your code', ['Open your code (the page shows it once):', url], { line: 1, label: 'Open your code' });
    expect(rendered).not.toMatch(/<a |<script|<img|href=/);
    expect(rendered).toContain(`>${escapeHtml(url)}</p>`);
  });

  it('quotes and angle brackets in an http(s) link cannot leave the href or the text', () => {
    const url = 'https://api.example/c/x"><script>alert(1)</script>\'';
    const rendered = renderEmailHtml('en', 'Your code', [url], { line: 0, label: '<b>Open</b>' });
    expect(rendered).not.toMatch(/<script|<b>/);
    expect(rendered).toContain('<a href="https://api.example/c/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E&#39;" ');
    expect(rendered).toContain('>&lt;b&gt;Open&lt;/b&gt;</a>');
    expect(rendered).toContain('>https://api.example/c/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;</p>');
  });

  it('an SES error on a link message names the ref and the error only', async () => {
    running.fake.setOptions({ failRecipients: { 'sara@example.com': 'MessageRejected' } });
    expect((await failure(channel.send(linkEn))).message).toBe('email: S1/O1/L1#1: SES MessageRejected (HTTP 400)');
  });
});

describe('email channel: SES errors', () => {
  it.each([
    ['TooManyRequestsException', 'TRANSIENT', 5],
    ['LimitExceededException', 'TRANSIENT', 300],
    ['InternalFailure', 'TRANSIENT', 10],
    ['ServiceUnavailable', 'TRANSIENT', 10],
    ['MessageRejected', 'PERMANENT', undefined],
    ['MailFromDomainNotVerifiedException', 'PERMANENT', undefined],
    ['SendingPausedException', 'PERMANENT', undefined],
    ['AccountSuspendedException', 'PERMANENT', undefined],
    ['NotFoundException', 'PERMANENT', undefined],
    ['BadRequestException', 'PERMANENT', undefined],
    ['AccessDeniedException', 'PERMANENT', undefined],
  ])('%s → %s, reason = the name, retry hint %p', async (name, kind, hint) => {
    running.fake.setOptions({ failRecipients: { 'sara@example.com': name } });
    const err = await failure(channel.send(english));
    expect(err).toMatchObject({ failure: kind, reason: name, retryAfterSeconds: hint });
    expect(err.message).toMatch(new RegExp(`^email: S1/O1/L1#1: SES ${name} \\(HTTP \\d{3}\\)$`));
  });

  it('a refusal of one recipient leaves the others alone', async () => {
    running.fake.setOptions({ failRecipients: { 'blocked@example.com': 'MessageRejected' } });
    await expect(channel.send(english)).resolves.toHaveProperty('providerMessageId');
  });

  it('a timeout is UNKNOWN_OUTCOME: SES may have sent it', async () => {
    running.fake.setOptions({ latencyMs: 500 });
    expect(await failure(channelWith({ SES_TIMEOUT_MS: '150' }).send(english))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'timeout' });
  });

  it('a refused connection is TRANSIENT: nothing was sent', async () => {
    endpoint(await refusedUrl());
    expect(await failure(channelWith().send(english))).toMatchObject({ failure: 'TRANSIENT', reason: 'connect-failed' });
  });

  describe('answers that are not the fake’s', () => {
    let server: RawServer;
    let drop = false;

    beforeAll(async () => {
      const text = JSON.stringify({ message: `Rejected: content "${CODE} ${PIN}" looks like spam` });
      server = await startRawServer((req, res) => (drop ? req.socket.destroy() : res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'MessageRejected' }).end(text)));
    });
    afterAll(() => server.stop());
    beforeEach(() => endpoint(server.url));

    it('an error never repeats SES’s message text, which can quote the e-mail, only its error name', async () => {
      const err = await failure(channelWith().send(english));
      expect(err).toMatchObject({ failure: 'PERMANENT', reason: 'MessageRejected', message: 'email: S1/O1/L1#1: SES MessageRejected (HTTP 400)' });
    });

    it('a connection dropped after the request was sent is UNKNOWN_OUTCOME', async () => {
      drop = true;
      expect(await failure(channelWith().send(english))).toMatchObject({ failure: 'UNKNOWN_OUTCOME' });
    });
  });
});

describe('email module', () => {
  it('needs a from address; the configuration set is optional', () => {
    expect(() => moduleConfig(email, {})).toThrow('Invalid configuration of email: SES_FROM_ADDRESS');
    expect(moduleConfig(email, { SES_FROM_ADDRESS: 'codes@store.example' })).toEqual({ SES_FROM_ADDRESS: 'codes@store.example', SES_TIMEOUT_MS: 5_000 });
  });

  it('deploy binding: ses:SendEmail on the identity parameter (and the configuration set), env from parameters', () => {
    const binding = email.deploy!;
    expect(binding.statements).toEqual([
      expect.objectContaining({
        actions: ['ses:SendEmail'],
        resources: [
          'arn:${Partition}:ses:${Region}:${AccountId}:identity/${param:SesIdentity}',
          'arn:${Partition}:ses:${Region}:${AccountId}:configuration-set/${param:SesConfigurationSet}',
        ],
      }),
    ]);
    expect(binding.env).toEqual({ SES_FROM_ADDRESS: { parameter: 'SesFromAddress' }, SES_CONFIGURATION_SET: { parameter: 'SesConfigurationSet' } });
    expect(Object.keys(binding.parameters ?? {}).sort()).toEqual(['SesConfigurationSet', 'SesFromAddress', 'SesIdentity']);
  });
});

it('no code value (code, PIN) or reveal-link token appears in any ChannelError message', () => {
  expect(seen.length).toBeGreaterThan(12);
  for (const err of seen) for (const secret of [CODE, PIN, TOKEN]) expect(err.message).not.toContain(secret);
});
