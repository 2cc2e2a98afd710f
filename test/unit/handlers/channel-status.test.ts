// The status webhook: only a request signed with the channel's app secret enqueues anything, every
// refusal looks the same from outside, and only reports on code messages become CHANNEL_STATUS.
import { createHmac } from 'node:crypto';
import { StaticSecretReader } from '#adapters/aws/secrets';
import { whatsappStatusWebhook } from '#adapters/channels/whatsapp/status-webhook';
import { WHATSAPP_WEBHOOK_SECRET_NAME } from '#adapters/channels/whatsapp/whatsapp-secret';
import { receiveStatus, type StatusRequest } from '#functions/channel-status/receive-status';
import { RecordingOrderQueue } from '#test/fakes/recorders';

const APP_SECRET = 'app-secret-for-tests';
const SECRET = JSON.stringify({ appSecret: APP_SECRET, verifyToken: 'verify-me' });

function setup(secrets: Record<string, string> = { [WHATSAPP_WEBHOOK_SECRET_NAME]: SECRET }) {
  const queue = new RecordingOrderQueue();
  const deps = { webhooks: { whatsapp: whatsappStatusWebhook }, secrets: new StaticSecretReader(secrets), orderQueue: queue };
  return { queue, deps };
}

const statuses = (...list: Array<Record<string, unknown>>) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses: list } }] }] });

const post = (body: string, signature: string | undefined = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`): StatusRequest => ({
  method: 'POST',
  query: {},
  headers: signature ? { 'x-hub-signature-256': signature } : {},
  rawBody: Buffer.from(body),
});

describe('channel status webhook', () => {
  it('turns each signed report on a code message into one CHANNEL_STATUS message', async () => {
    const { deps, queue } = setup();
    const body = statuses(
      { id: 'wamid.A', status: 'delivered', timestamp: '1740823205', biz_opaque_callback_data: 'S1/O1/L1#1' },
      { id: 'wamid.B', status: 'failed', timestamp: '1740823206', biz_opaque_callback_data: 'S1/O2/L1#2', errors: [{ code: 131049 }] },
      { id: 'wamid.C', status: 'read', timestamp: '1740823207', biz_opaque_callback_data: 'S1/O3' },
      { id: 'wamid.D', status: 'sent', timestamp: '1740823208' },
    );
    await expect(receiveStatus(deps, 'whatsapp', post(body))).resolves.toMatchObject({ statusCode: 200, queued: 2 });
    expect(queue.sent).toEqual([
      { kind: 'CHANNEL_STATUS', storeId: 'S1', orderId: 'O1', unitId: 'L1#1', channel: 'whatsapp', providerMessageId: 'wamid.A', status: 'delivered', at: '2025-03-01T10:00:05.000Z' },
      { kind: 'CHANNEL_STATUS', storeId: 'S1', orderId: 'O2', unitId: 'L1#2', channel: 'whatsapp', providerMessageId: 'wamid.B', status: 'failed', at: '2025-03-01T10:00:06.000Z', errorCode: '131049' },
    ]);
  });

  it('refuses a wrong, malformed or missing signature, and a missing secret, all with the same 401', async () => {
    const body = statuses({ id: 'wamid.A', status: 'failed', timestamp: '1', biz_opaque_callback_data: 'S1/O1/L1#1' });
    const answers = [];
    for (const signature of [`sha256=${createHmac('sha256', 'guess').update(body).digest('hex')}`, 'sha256=abc', 'md5=00', '']) {
      const { deps, queue } = setup();
      answers.push(await receiveStatus(deps, 'whatsapp', post(body, signature)));
      expect(queue.sent).toEqual([]);
    }
    const { deps } = setup({});
    answers.push(await receiveStatus(deps, 'whatsapp', post(body)));
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`))).toEqual(new Set(['401 unauthorized']));
  });

  it('a signed body that is not a webhook is a 400; a signed body tampered with after signing is a 401', async () => {
    const { deps, queue } = setup();
    await expect(receiveStatus(deps, 'whatsapp', post('{"entry": 3}'))).resolves.toMatchObject({ statusCode: 400 });
    const body = statuses({ id: 'wamid.A', status: 'read', timestamp: '1', biz_opaque_callback_data: 'S1/O1/L1#1' });
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
    await expect(receiveStatus(deps, 'whatsapp', post(body.replace('read', 'failed'), signature))).resolves.toMatchObject({ statusCode: 401 });
    expect(queue.sent).toEqual([]);
  });

  it('the sending token alone (the other secret) verifies nothing', async () => {
    const { deps, queue } = setup({ 'streamsync/channel/whatsapp': JSON.stringify({ token: APP_SECRET }) });
    const body = statuses({ id: 'wamid.A', status: 'read', timestamp: '1', biz_opaque_callback_data: 'S1/O1/L1#1' });
    await expect(receiveStatus(deps, 'whatsapp', post(body))).resolves.toMatchObject({ statusCode: 401 });
    const check = await receiveStatus(deps, 'whatsapp', { method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'x', 'hub.challenge': '1' }, headers: {}, rawBody: Buffer.alloc(0) });
    expect(check).toMatchObject({ statusCode: 403, body: 'forbidden' });
    expect(queue.sent).toEqual([]);
  });

  it("answers Meta's subscription check only with the verify token", async () => {
    const { deps } = setup();
    const check = (query: Record<string, string>) => receiveStatus(deps, 'whatsapp', { method: 'GET', query, headers: {}, rawBody: Buffer.alloc(0) });
    await expect(check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' })).resolves.toMatchObject({ statusCode: 200, body: '1158201444' });
    await expect(check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-m', 'hub.challenge': '1158201444' })).resolves.toMatchObject({ statusCode: 403 });
    await expect(check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '<script>' })).resolves.toMatchObject({ statusCode: 403 });
    await expect(check({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1' })).resolves.toMatchObject({ statusCode: 403 });
  });

  it('a channel without a status webhook is not found', async () => {
    const { deps } = setup();
    await expect(receiveStatus(deps, 'sms', post('{}'))).resolves.toMatchObject({ statusCode: 404 });
    await expect(receiveStatus(deps, '__proto__', post('{}'))).resolves.toMatchObject({ statusCode: 404 });
  });
});
