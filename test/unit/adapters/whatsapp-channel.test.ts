// WhatsApp channel against the fake Graph API, through real HTTP: the template message Meta receives,
// the copy-code rule, reveal-link messages, every row of the error table, timeouts and lost answers,
// the token secret.
import { StaticSecretReader, type SecretReader } from '#adapters/aws/secrets';
import { whatsapp } from '#adapters/channels/whatsapp/index';
import { startFakeWhatsApp, type RunningWhatsAppFake } from '#adapters/channels/whatsapp/local';
import { WHATSAPP_SECRET_NAME } from '#adapters/channels/whatsapp/whatsapp-secret';
import { moduleConfig } from '#adapters/module-kit';
import type { ChannelError } from '#core/errors';
import type { CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { startRecorder, type Recorder } from '#local/recorder';
import { channelFailure, refusedUrl, startRawServer, type RawServer } from './channel-test-kit';

const CODE = 'GC-7Q2X-9KLM';
const PIN = '4821';
const LONG_CODE = '6120200345149064';

const to = { name: 'سارة', phone: '+966501234567', email: 'sara@example.com' };
const arabic: CustomerMessage = { kind: 'CODE', locale: 'ar', to, ref: 'S1/O1/L1#1', orderReference: '#1234', customerName: 'سارة', productName: 'بطاقة iTunes 50', code: { code: CODE, pin: PIN } };
const english: CustomerMessage = { ...arabic, locale: 'en', productName: 'iTunes 50', code: { code: CODE } };
const backorder: CustomerMessage = { kind: 'BACKORDER', locale: 'en', to, ref: 'S1/O2', orderReference: '#1235' };
/** The reveal link's token opens the code: as secret as the code itself. */
const TOKEN = 'Rv7QxL2mNp8KdW4tYc6HbJ0s';
const LINK = `https://api.example/c/${TOKEN}`;
const linkAr: CustomerMessage = { kind: 'CODE', locale: 'ar', to, ref: 'S1/O3/L1#1', orderReference: '#1236', productName: 'بطاقة iTunes 50', reveal: { url: LINK, expiresAt: '2026-07-14T09:30:00Z' } };
const linkEn: CustomerMessage = { ...linkAr, locale: 'en', productName: 'iTunes 50' };

let outbox: Recorder;
let running: RunningWhatsAppFake;
let channel: DeliveryChannel;
/** Every ChannelError a test saw: none may carry a code value. */
const seen: ChannelError[] = [];

const channelWith = (env: Record<string, string> = {}, secrets: SecretReader = new StaticSecretReader(running.secrets)) =>
  whatsapp.create(moduleConfig(whatsapp, { ...running.env, ...env }), { traced: (c) => c, secrets });

const failure = (attempt: Promise<unknown>) => channelFailure(attempt, seen);

beforeAll(async () => {
  outbox = await startRecorder();
  running = await startFakeWhatsApp(outbox);
  channel = channelWith();
});

afterAll(async () => {
  await running.stop();
  await outbox.stop();
});

beforeEach(() => running.fake.setOptions({ failureRate: 0, failRecipients: {}, latencyMs: 0 }));

describe('whatsapp channel: the template message', () => {
  it('sends the Arabic UTILITY template with order, product and code + PIN, a copy-code button and the ref as callback data', async () => {
    const receipt = await channel.send(arabic);
    expect(receipt.providerMessageId).toMatch(/^wamid\./);
    const accepted = running.fake.accepted().at(-1)!;
    expect(accepted.wamid).toBe(receipt.providerMessageId);
    expect(accepted.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '966501234567',
      type: 'template',
      biz_opaque_callback_data: 'S1/O1/L1#1',
      template: {
        name: 'streamsync_code',
        language: { code: 'ar', policy: 'deterministic' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '#1234' }, { type: 'text', text: 'بطاقة iTunes 50' }, { type: 'text', text: `${CODE} — الرقم السري (PIN): ${PIN}` }] },
          { type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: CODE }] },
        ],
      },
    });
    expect(accepted.rendered).toBe(`شكراً لطلبك رقم #1234 (بطاقة iTunes 50).\nالرمز: ${CODE} — الرقم السري (PIN): ${PIN}`);
  });

  it('records the accepted message in the real outbox: template name as subject, the rendered template as body', async () => {
    await channel.send(english);
    const recorded = outbox.messages().at(-1)!;
    expect(recorded).toMatchObject({
      channel: 'whatsapp',
      kind: 'CODE',
      locale: 'en',
      to: { phone: '+966501234567' },
      ref: 'S1/O1/L1#1',
      subject: 'streamsync_code',
      body: `Thank you for order #1234 (iTunes 50).\nCode: ${CODE}\n[Copy code]`,
    });
    expect(running.fake.accepted().at(-1)!.request).toMatchObject({ template: { language: { code: 'en', policy: 'deterministic' } } });
  });

  it('puts a copy-code button only on codes of at most 15 characters; longer codes are in the body alone', async () => {
    const fifteen = 'ABCDEFGHIJKLMNO';
    await channel.send({ ...english, code: { code: fifteen } });
    expect(running.fake.accepted().at(-1)!.copyCode).toBe(fifteen);
    await channel.send({ ...english, code: { code: LONG_CODE, pin: PIN } });
    const long = running.fake.accepted().at(-1)!;
    expect(long.copyCode).toBeUndefined();
    expect((long.request as { template: { components: unknown[] } }).template.components).toHaveLength(1);
    expect(long.rendered).toBe(`Thank you for order #1234 (iTunes 50).\nCode: ${LONG_CODE} — PIN: ${PIN}`);
  });

  it('sends BACKORDER notices with their own template and the order reference only, in both languages', async () => {
    await channel.send(backorder);
    const en = running.fake.accepted().at(-1)!;
    expect(en.templateName).toBe('streamsync_backorder');
    expect(en.rendered).toBe('We received your payment for order #1235. Your code is on its way and will arrive in a separate message shortly.');
    await channel.send({ ...backorder, locale: 'ar' });
    expect(running.fake.accepted().at(-1)!.rendered).toBe('تم استلام الدفع لطلبك رقم #1235. رمزك في الطريق وسيصلك في رسالة خلال وقت قصير.');
    expect(outbox.messages().at(-1)).toMatchObject({ kind: 'BACKORDER', locale: 'ar', ref: 'S1/O2', subject: 'streamsync_backorder' });
  });

  it('uses the configured template names per locale', async () => {
    running.fake.setOptions({ templates: { code_ar_v2: { ar: { kind: 'CODE', body: '{{1}} {{2}} {{3}}', copyCodeButton: 'نسخ' } } } });
    try {
      await channelWith({ WHATSAPP_TEMPLATE_CODE_AR: 'code_ar_v2' }).send(arabic);
      expect(running.fake.accepted().at(-1)!.rendered).toBe(`#1234 بطاقة iTunes 50 ${CODE} — الرقم السري (PIN): ${PIN}`);
    } finally {
      running.fake.setOptions({ templates: undefined });
    }
  });

  it('flattens parameters Meta would refuse (newlines, runs of spaces) and fills a missing product name', async () => {
    await channel.send({ ...english, productName: 'Gift\ncard     50' });
    expect(running.fake.accepted().at(-1)!.parameters[1]).toBe('Gift card 50');
    await channel.send({ ...english, productName: undefined });
    expect(running.fake.accepted().at(-1)!.parameters[1]).toBe('-');
  });

  it('refuses a message without a phone number (NO_PHONE) or with a malformed one, before any request', async () => {
    const before = running.fake.requests().length;
    const noPhone = await failure(channel.send({ ...arabic, to: { email: 'sara@example.com' } }));
    expect(noPhone).toMatchObject({ failure: 'PERMANENT', reason: 'NO_PHONE' });
    expect(noPhone.message).toContain('S1/O1/L1#1');
    expect(await failure(channel.send({ ...arabic, to: { phone: '0501234567' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'INVALID_PHONE' });
    expect(await failure(channel.send({ ...arabic, code: undefined }))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_CODE' });
    expect(running.fake.requests()).toHaveLength(before);
  });
});

describe('whatsapp channel: codes sent as a reveal link', () => {
  it('sends the link template with order, product and the URL as body parameters, no copy-code button, the ref as callback data', async () => {
    await channel.send(linkAr);
    const ar = running.fake.accepted().at(-1)!;
    expect(ar.request).toMatchObject({ biz_opaque_callback_data: 'S1/O3/L1#1' });
    expect((ar.request as { template: unknown }).template).toEqual({
      name: 'streamsync_code_link',
      language: { code: 'ar', policy: 'deterministic' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '#1236' }, { type: 'text', text: 'بطاقة iTunes 50' }, { type: 'text', text: LINK }] }],
    });
    expect(ar.copyCode).toBeUndefined();
    expect(ar.rendered).toBe(`شكراً لطلبك رقم #1236 (بطاقة iTunes 50).\nافتح رمزك من الرابط التالي: ${LINK}\nتعرض الصفحة الرمز مرة واحدة فقط، فانسخه واحتفظ به في مكان آمن.`);
    await channel.send(linkEn);
    expect(outbox.messages().at(-1)).toMatchObject({
      kind: 'CODE',
      locale: 'en',
      ref: 'S1/O3/L1#1',
      subject: 'streamsync_code_link',
      body: `Thank you for order #1236 (iTunes 50).\nOpen your code here: ${LINK}\nThe page shows the code only once, so copy it and keep it somewhere safe.`,
    });
  });

  it('never puts a code in a link message, even one set beside the link by mistake', async () => {
    await channel.send({ ...linkEn, code: { code: CODE, pin: PIN } });
    expect(JSON.stringify(running.fake.accepted().at(-1)!.request)).not.toMatch(new RegExp(`${CODE}|${PIN}|copy_code`));
  });

  it('uses the configured link template names per locale', async () => {
    running.fake.setOptions({ templates: { link_en_v2: { en: { kind: 'CODE', body: 'Order {{1}} ({{2}}): {{3}} opens once.' } } } });
    try {
      await channelWith({ WHATSAPP_TEMPLATE_LINK_EN: 'link_en_v2' }).send(linkEn);
      expect(running.fake.accepted().at(-1)!.rendered).toBe(`Order #1236 (iTunes 50): ${LINK} opens once.`);
    } finally {
      running.fake.setOptions({ templates: undefined });
    }
  });

  it('the fake refuses a copy-code button on the link template (132000): the approved template has none', async () => {
    const token = (JSON.parse(running.secrets[WHATSAPP_SECRET_NAME]) as { token: string }).token;
    const body = {
      messaging_product: 'whatsapp',
      to: '966501234567',
      type: 'template',
      template: {
        name: 'streamsync_code_link',
        language: { code: 'en', policy: 'deterministic' },
        components: [
          { type: 'body', parameters: ['#1236', 'iTunes 50', LINK].map((text) => ({ type: 'text', text })) },
          { type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: CODE }] },
        ],
      },
    };
    const before = running.fake.accepted().length;
    const res = await fetch(`${running.fake.url}/v26.0/${running.env.WHATSAPP_PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(132000);
    expect(running.fake.accepted()).toHaveLength(before);
  });

  it('an empty link is PERMANENT NO_LINK before any request; Graph errors name the ref and the code only', async () => {
    const before = running.fake.requests().length;
    expect(await failure(channel.send({ ...linkEn, reveal: { url: ' ', expiresAt: '2026-07-14T09:30:00Z' } }))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_LINK' });
    expect(running.fake.requests()).toHaveLength(before);
    running.fake.setOptions({ failureRate: 1, failureCode: 131026 });
    const err = await failure(channel.send(linkEn));
    expect(err.message).toMatch(/^whatsapp: S1\/O3\/L1#1: HTTP 400, Graph error 131026 \(fbtrace_id [\w-]+\)$/);
  });
});

describe('whatsapp channel: errors', () => {
  it.each([
    [130429, 'TRANSIENT', 5],
    [131056, 'TRANSIENT', 10],
    [131000, 'TRANSIENT', 10],
    [1, 'TRANSIENT', 10],
    [2, 'TRANSIENT', 10],
    [131057, 'TRANSIENT', 60],
    [131026, 'PERMANENT', undefined],
    [131047, 'PERMANENT', undefined],
    [131049, 'PERMANENT', undefined],
    [132000, 'PERMANENT', undefined],
    [132001, 'PERMANENT', undefined],
    [131048, 'PERMANENT', undefined],
    [190, 'PERMANENT', undefined],
  ])('Graph error %i → %s, reason = the code, retry hint %p', async (code, kind, hint) => {
    running.fake.setOptions({ failureRate: 1, failureCode: code });
    const err = await failure(channel.send(arabic));
    expect(err).toMatchObject({ failure: kind, reason: String(code), retryAfterSeconds: hint });
    expect(err.message).toMatch(new RegExp(`^whatsapp: S1/O1/L1#1: HTTP \\d{3}, Graph error ${code} \\(fbtrace_id [\\w-]+\\)$`));
  });

  it('a number not on WhatsApp (per-recipient 131026) is PERMANENT; other recipients still go through', async () => {
    running.fake.setOptions({ failRecipients: { '+966500000000': 131026 } });
    expect(await failure(channel.send({ ...arabic, to: { phone: '+966500000000' } }))).toMatchObject({ failure: 'PERMANENT', reason: '131026' });
    await expect(channel.send(arabic)).resolves.toHaveProperty('providerMessageId');
  });

  it('a template whose parameters do not match the approved one is refused by the fake itself (132000)', async () => {
    running.fake.setOptions({ templates: { streamsync_code: { ar: { kind: 'CODE', body: '{{1}} {{2}}', copyCodeButton: 'x' } } } });
    try {
      expect(await failure(channel.send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: '132000' });
      expect(await failure(channel.send(english))).toMatchObject({ failure: 'PERMANENT', reason: '132001' });
    } finally {
      running.fake.setOptions({ templates: undefined });
    }
  });

  it('a wrong phone number id or Graph version is PERMANENT with Meta code', async () => {
    expect(await failure(channelWith({ WHATSAPP_PHONE_NUMBER_ID: '999' }).send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: '100' });
    expect(await failure(channelWith({ WHATSAPP_GRAPH_VERSION: 'v12.0' }).send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: '2500' });
  });

  it('a timeout is UNKNOWN_OUTCOME: the fake accepted and recorded the message, the answer came too late', async () => {
    running.fake.setOptions({ latencyMs: 400 });
    const before = running.fake.accepted().length;
    expect(await failure(channelWith({ WHATSAPP_TIMEOUT_MS: '100' }).send(arabic))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'timeout' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(running.fake.accepted()).toHaveLength(before + 1);
  });

  it('a connection dropped after the message was accepted is UNKNOWN_OUTCOME', async () => {
    running.fake.setOptions({ loseNextAnswer: 'reset' });
    const before = outbox.messages().length;
    expect(await failure(channel.send(arabic))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'connection-lost' });
    expect(outbox.messages()).toHaveLength(before + 1);
  });

  it('a refused connection is TRANSIENT: nothing was sent', async () => {
    expect(await failure(channelWith({ WHATSAPP_BASE_URL: await refusedUrl() }).send(arabic))).toMatchObject({ failure: 'TRANSIENT', reason: 'connect-failed' });
  });

  describe('answers that are not the fake’s', () => {
    let server: RawServer;
    let url: string;
    let reply: { status: number; headers?: Record<string, string>; body: string };

    beforeAll(async () => {
      server = await startRawServer((_req, res) => res.writeHead(reply.status, reply.headers ?? {}).end(reply.body));
      url = server.url;
    });
    afterAll(() => server.stop());

    it('a 5xx without Meta’s error body is TRANSIENT; a 4xx without one is PERMANENT', async () => {
      reply = { status: 502, body: '<html>Bad gateway</html>' };
      expect(await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(arabic))).toMatchObject({ failure: 'TRANSIENT', reason: 'http-502', retryAfterSeconds: 10 });
      reply = { status: 404, body: 'not found' };
      expect(await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: 'http-404' });
    });

    it('Retry-After wins over the default hint', async () => {
      reply = { status: 429, headers: { 'Retry-After': '7' }, body: JSON.stringify({ error: { code: 130429, message: 'Rate limit hit' } }) };
      expect(await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(arabic))).toMatchObject({ failure: 'TRANSIENT', reason: '130429', retryAfterSeconds: 7 });
    });

    it('never repeats Meta’s message or details, which can quote the parameters (the code)', async () => {
      const quoting = `(#131009) Parameter value is not valid: ${CODE} ${PIN}`;
      reply = { status: 400, body: JSON.stringify({ error: { message: quoting, code: 131009, error_data: { details: quoting }, fbtrace_id: 'A1b2' } }) };
      const err = await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(arabic));
      expect(err).toMatchObject({ failure: 'PERMANENT', reason: '131009', message: 'whatsapp: S1/O1/L1#1: HTTP 400, Graph error 131009 (fbtrace_id A1b2)' });
      const quotingLink = `(#131009) Parameter value is not valid: ${LINK}`;
      reply = { status: 400, body: JSON.stringify({ error: { message: quotingLink, code: 131009, error_data: { details: quotingLink }, fbtrace_id: 'A1b2' } }) };
      const linkErr = await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(linkEn));
      expect(linkErr.message).toBe('whatsapp: S1/O3/L1#1: HTTP 400, Graph error 131009 (fbtrace_id A1b2)');
    });

    it('a 200 without a message id is UNKNOWN_OUTCOME', async () => {
      reply = { status: 200, body: '{"messaging_product":"whatsapp"}' };
      expect(await failure(channelWith({ WHATSAPP_BASE_URL: url }).send(arabic))).toMatchObject({ failure: 'UNKNOWN_OUTCOME', reason: 'unreadable' });
    });
  });
});

describe('whatsapp channel: the token secret', () => {
  const counting = (value: string | undefined) => {
    const reader = { reads: 0, value, get: async () => (reader.reads++, reader.value) };
    return reader;
  };

  it('reads the token once and reuses it', async () => {
    const reader = counting(running.secrets[WHATSAPP_SECRET_NAME]);
    const cached = channelWith({}, reader);
    await cached.send(arabic);
    await cached.send(english);
    expect(reader.reads).toBe(1);
  });

  it('a refused token (190) is PERMANENT and makes the next send read the secret again', async () => {
    const reader = counting(JSON.stringify({ token: 'revoked-token' }));
    const stale = channelWith({}, reader);
    expect(await failure(stale.send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: '190' });
    reader.value = running.secrets[WHATSAPP_SECRET_NAME];
    await expect(stale.send(arabic)).resolves.toHaveProperty('providerMessageId');
    expect(reader.reads).toBe(2);
  });

  it('a bare token string is accepted as the secret value', async () => {
    const token = (JSON.parse(running.secrets[WHATSAPP_SECRET_NAME]) as { token: string }).token;
    await expect(channelWith({}, new StaticSecretReader({ [WHATSAPP_SECRET_NAME]: token })).send(arabic)).resolves.toHaveProperty('providerMessageId');
  });

  it('a missing secret is PERMANENT NO_TOKEN, an unreadable one TRANSIENT; neither sends anything', async () => {
    const before = running.fake.requests().length;
    expect(await failure(channelWith({}, new StaticSecretReader({})).send(arabic))).toMatchObject({ failure: 'PERMANENT', reason: 'NO_TOKEN' });
    const broken: SecretReader = { get: async () => Promise.reject(new Error('throttled')) };
    expect(await failure(channelWith({}, broken).send(arabic))).toMatchObject({ failure: 'TRANSIENT', reason: 'SECRET_UNAVAILABLE' });
    expect(running.fake.requests()).toHaveLength(before);
  });
});

describe('whatsapp module', () => {
  it('config defaults: Graph v26.0 at graph.facebook.com, the token secret streamsync/channel/whatsapp; the phone number id is required', () => {
    expect(moduleConfig(whatsapp, { WHATSAPP_PHONE_NUMBER_ID: '1' })).toMatchObject({
      WHATSAPP_GRAPH_VERSION: 'v26.0',
      WHATSAPP_BASE_URL: 'https://graph.facebook.com',
      WHATSAPP_TOKEN_SECRET_NAME: 'streamsync/channel/whatsapp',
      WHATSAPP_TIMEOUT_MS: 10_000,
    });
    expect(() => moduleConfig(whatsapp, {})).toThrow('Invalid configuration of whatsapp: WHATSAPP_PHONE_NUMBER_ID');
  });

  it('deploy binding: every env parameter is declared, the token secret is read, no IAM statements', () => {
    const binding = whatsapp.deploy!;
    for (const value of Object.values(binding.env ?? {})) if (typeof value !== 'string') expect(binding.parameters).toHaveProperty(value.parameter);
    const configKeys = Object.keys(moduleConfig(whatsapp, { WHATSAPP_PHONE_NUMBER_ID: '1' }));
    // Only the local runtime points the adapter elsewhere; the timeout keeps its default on AWS.
    expect(Object.keys(binding.env ?? {}).sort()).toEqual(configKeys.filter((k) => !['WHATSAPP_BASE_URL', 'WHATSAPP_TIMEOUT_MS'].includes(k)).sort());
    expect(binding.secrets).toEqual([expect.objectContaining({ name: 'streamsync/channel/whatsapp' })]);
    expect(binding.statements).toBeUndefined();
  });
});

// Runs last (jest keeps declaration order within a file): every error the tests above provoked.
it('no code value (code, PIN) or reveal-link token appears in any ChannelError message', () => {
  expect(seen.length).toBeGreaterThan(20);
  for (const err of seen) for (const secret of [CODE, PIN, LONG_CODE, TOKEN]) expect(err.message).not.toContain(secret);
});
