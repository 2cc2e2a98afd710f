// WhatsApp status webhooks: the X-Hub-Signature-256 check over the raw body, the statuses parsed from
// Meta's payload, and the fake Graph API posting signed statuses for what it accepted.
// The module object itself (a namespace import would be a copy), so a spy sees the adapter's calls.
import crypto from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticSecretReader } from '#adapters/aws/secrets';
import { whatsapp } from '#adapters/channels/whatsapp/index';
import { LOCAL_WHATSAPP_APP_SECRET, startFakeWhatsApp, type RunningWhatsAppFake } from '#adapters/channels/whatsapp/local';
import { parseStatusCallbacks, verifyWhatsAppSignature, whatsAppSignatureOf, type StatusUpdate } from '#adapters/channels/whatsapp/status-callbacks';
import { moduleConfig } from '#adapters/module-kit';
import { InvalidPayloadError } from '#core/errors';
import type { CustomerMessage } from '#core/ports/channel';
import { startRecorder, type Recorder } from '#local/recorder';

const SECRET = 'app-secret-1';
const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const header = (body: Buffer | string, secret = SECRET) => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyWhatsAppSignature', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts the HMAC-SHA256 of the raw body keyed with the app secret, as sha256=<hex> (hex in any case)', () => {
    expect(verifyWhatsAppSignature(raw, header(raw), SECRET)).toBe(true);
    expect(verifyWhatsAppSignature(raw.toString('utf8'), header(raw), SECRET)).toBe(true);
    expect(verifyWhatsAppSignature(raw, header(raw).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
    expect(whatsAppSignatureOf(raw, SECRET).toString('hex')).toBe(header(raw).slice('sha256='.length));
  });

  it('rejects a signature made with another secret, and a body changed after signing', () => {
    expect(verifyWhatsAppSignature(raw, header(raw, 'other-secret'), SECRET)).toBe(false);
    const tampered = Buffer.from(raw.toString('utf8').replace('[]', '[{}]'));
    expect(verifyWhatsAppSignature(tampered, header(raw), SECRET)).toBe(false);
    // Re-serialised JSON is not the raw body: whitespace alone changes the signature.
    expect(verifyWhatsAppSignature(JSON.stringify(JSON.parse(raw.toString()), null, 1), header(raw), SECRET)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', header(raw).slice('sha256='.length)],
    ['with another algorithm', header(raw).replace('sha256=', 'sha1=')],
    ['too short', header(raw).slice(0, -2)],
    ['too long', `${header(raw)}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['two signatures', `${header(raw)},${header(raw)}`],
  ])('rejects a header that is %s, without throwing', (_what, value) => {
    expect(verifyWhatsAppSignature(raw, value, SECRET)).toBe(false);
  });

  it('rejects everything when the app secret is empty', () => {
    expect(verifyWhatsAppSignature(raw, header(raw, ''), '')).toBe(false);
  });

  it('compares with crypto.timingSafeEqual, never with ===', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    verifyWhatsAppSignature(raw, header(raw), SECRET);
    verifyWhatsAppSignature(raw, header(raw, 'other-secret'), SECRET);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls.every(([a, b]) => (a as Buffer).length === 32 && (b as Buffer).length === 32)).toBe(true);
  });
});

/** A status as Meta sends it, with fields we do not use. */
const status = (fields: Record<string, unknown>) => ({
  id: 'wamid.HBgMOTY2NTAxMjM0NTY3FQIAERgSQ0E',
  status: 'delivered',
  timestamp: '1767225600',
  recipient_id: '966501234567',
  biz_opaque_callback_data: 'S1/O1/L1#1',
  conversation: { id: 'c1', origin: { type: 'utility' } },
  pricing: { billable: true, pricing_model: 'PMP', category: 'utility' },
  ...fields,
});
const webhook = (...statuses: unknown[]) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' }, statuses } }] }],
});

describe('parseStatusCallbacks', () => {
  it('reads id, status, ref, error code and time of sent, delivered, read and failed statuses', () => {
    const updates = parseStatusCallbacks(
      webhook(
        status({ status: 'sent' }),
        status({}),
        status({ status: 'read', timestamp: 1767225601 }),
        status({ status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'x' } }] }),
      ),
    );
    const base = { providerMessageId: 'wamid.HBgMOTY2NTAxMjM0NTY3FQIAERgSQ0E', ref: 'S1/O1/L1#1', timestamp: '2026-01-01T00:00:00.000Z' };
    expect(updates).toEqual<StatusUpdate[]>([
      { ...base, status: 'sent' },
      { ...base, status: 'delivered' },
      { ...base, status: 'read', timestamp: '2026-01-01T00:00:01.000Z' },
      { ...base, status: 'failed', errorCode: '131026' },
    ]);
  });

  it('tolerates unknown fields and statuses, and skips a status it cannot read instead of failing the batch', () => {
    const updates = parseStatusCallbacks({
      ...webhook(status({ status: 'deleted' }), status({ id: 42 }), status({ biz_opaque_callback_data: undefined, brand_new: { x: 1 } })),
      extra: true,
    });
    expect(updates).toEqual([{ providerMessageId: 'wamid.HBgMOTY2NTAxMjM0NTY3FQIAERgSQ0E', status: 'delivered', timestamp: '2026-01-01T00:00:00.000Z' }]);
  });

  it('yields nothing for other changes (inbound messages, template reviews) and other objects', () => {
    expect(parseStatusCallbacks({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'm', text: { body: 'hi' } }] } }] }] })).toEqual([]);
    expect(parseStatusCallbacks({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'message_template_status_update', value: { statuses: [status({})] } }] }] })).toEqual([]);
    expect(parseStatusCallbacks({ ...webhook(status({})), object: 'page' })).toEqual([]);
  });

  it('throws InvalidPayloadError naming paths, never values, for a body that is not a webhook', () => {
    expect.assertions(3);
    expect(() => parseStatusCallbacks({ object: 'whatsapp_business_account', entry: 'GC-SECRET' })).toThrow(InvalidPayloadError);
    try {
      parseStatusCallbacks({ entry: [{ changes: 'GC-SECRET' }] });
    } catch (err) {
      expect((err as InvalidPayloadError).issues).toEqual(['object: expected string', 'entry.0.changes: expected array']);
      expect(JSON.stringify(err)).not.toContain('GC-SECRET');
    }
  });
});

describe('the fake Graph API posts signed status webhooks', () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingHttpHeaders; raw: Buffer }>;
  let outbox: Recorder;
  let running: RunningWhatsAppFake;
  const message: CustomerMessage = {
    kind: 'CODE',
    locale: 'en',
    to: { phone: '+966501234567' },
    ref: 'S1/O9/L1#1',
    orderReference: '#9',
    productName: 'Gift card',
    code: { code: 'GC-SECRET-9' },
  };

  beforeAll(async () => {
    received = [];
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    outbox = await startRecorder();
    running = await startFakeWhatsApp(outbox, { callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/whatsapp/status` });
  });

  afterAll(async () => {
    await running.stop();
    await outbox.stop();
    receiver.closeAllConnections();
    receiver.close();
    await once(receiver, 'close');
  });

  const channel = () => whatsapp.create(moduleConfig(whatsapp, running.env), { traced: (c) => c, secrets: new StaticSecretReader(running.secrets) });

  /** What the receiver got since `from`, verified with the app secret and parsed. */
  const statusesSince = (from: number) =>
    received.slice(from).flatMap(({ headers, raw }) => {
      expect(verifyWhatsAppSignature(raw, headers['x-hub-signature-256'] as string, LOCAL_WHATSAPP_APP_SECRET)).toBe(true);
      return parseStatusCallbacks(JSON.parse(raw.toString('utf8')));
    });

  it('sent, delivered and read, in order, each carrying the wamid and our ref (not the code)', async () => {
    const from = received.length;
    const { providerMessageId } = await channel().send(message);
    await running.fake.settled();
    const updates = statusesSince(from);
    expect(updates.map((u) => u.status)).toEqual(['sent', 'delivered', 'read']);
    expect(updates.every((u) => u.providerMessageId === providerMessageId && u.ref === 'S1/O9/L1#1')).toBe(true);
    expect(received.slice(from).some(({ raw }) => raw.toString('utf8').includes('GC-SECRET-9'))).toBe(false);
    expect(running.fake.webhooks()).toEqual({ sent: 3, refused: 0 });
  });

  it('failed with Meta’s code for a recipient whose message is accepted and then not delivered', async () => {
    running.fake.setOptions({ failAfterAccept: { '+966509999999': 131049 } });
    const from = received.length;
    await channel().send({ ...message, to: { phone: '+966509999999' } });
    await running.fake.settled();
    expect(statusesSince(from)).toEqual([expect.objectContaining({ status: 'failed', errorCode: '131049', ref: 'S1/O9/L1#1' })]);
  });

  it('a receiver with another app secret would reject every one of them', async () => {
    const from = received.length;
    await channel().send(message);
    await running.fake.settled();
    const posts = received.slice(from);
    expect(posts.length).toBe(3);
    for (const { headers, raw } of posts) expect(verifyWhatsAppSignature(raw, headers['x-hub-signature-256'] as string, 'not-the-app-secret')).toBe(false);
  });
});
