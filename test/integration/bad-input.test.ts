// Done-means 4: bad input gets the right status code, a reason in the log without the body, and
// changes nothing: the orders queue stays empty and no order is written.
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sallaSignatureHeaders } from '#adapters/platforms/salla/local';
import { zidBasicAuthHeaders } from '#adapters/platforms/zid/local';
import { DEMO_SALLA_SECRET } from '#adapters/platforms/salla/local';
import { DEMO_ZID_CREDENTIALS } from '#adapters/platforms/zid/local';
import { sampleSallaOrder } from '#adapters/platforms/salla/local';
import { sampleZidOrder } from '#adapters/platforms/zid/local';
import { seed } from '#local/seed';
import { capturedLogs, postWebhook, queueDepth, startTestPipeline } from './helpers';

jest.setTimeout(60_000);

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8'));
const signed = (body: unknown) => {
  const raw = JSON.stringify(body);
  return { raw, headers: sallaSignatureHeaders(raw, DEMO_SALLA_SECRET) };
};

describe('webhook rejects bad input and changes nothing', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const expectNothingChanged = async () => {
    expect(await queueDepth(pipeline, pipeline.resources.ordersQueueUrl)).toBe(0);
    const orders = await pipeline.clients.dynamo.send(
      new ScanCommand({ TableName: pipeline.resources.tableName, FilterExpression: 'begins_with(pk, :o)', ExpressionAttributeValues: { ':o': { S: 'ORDER#' } } }),
    );
    expect(orders.Count).toBe(0);
  };

  beforeAll(async () => {
    // No event sources: whatever the webhook enqueues stays in the queue to be counted.
    pipeline = await startTestPipeline({ pollers: false });
    await seed(pipeline.deps, { stock: 3 });
  });
  afterAll(async () => pipeline?.stop());

  it('401 on a wrong Salla signature', async () => {
    const sample = sampleSallaOrder('900000001');
    const res = await postWebhook(pipeline, 'salla', sample.raw, { ...sample.headers, 'X-Salla-Signature': 'ab'.repeat(32) });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('401 on a body changed after signing', async () => {
    const sample = sampleSallaOrder('900000002');
    const res = await postWebhook(pipeline, 'salla', sample.raw.replace('"quantity":2', '"quantity":20'), sample.headers);
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('401 for a store that is not configured', async () => {
    const body = fixture('salla/order-created-paid-credit-card.json');
    body.merchant = 999;
    const { raw, headers } = signed(body);
    const res = await postWebhook(pipeline, 'salla', raw, headers);
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('401 on wrong Zid Basic Auth', async () => {
    const sample = sampleZidOrder('41999999');
    const res = await postWebhook(pipeline, 'zid', sample.raw, zidBasicAuthHeaders(DEMO_ZID_CREDENTIALS.username, 'wrong-password'));
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('400 on malformed JSON', async () => {
    const raw = '{"event":"order.created","merchant":1305146709,"data":{';
    const res = await postWebhook(pipeline, 'salla', raw, sallaSignatureHeaders(raw, DEMO_SALLA_SECRET));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('body is not valid JSON');
    await expectNothingChanged();
  });

  it('400 with field paths on a signed body of the wrong shape', async () => {
    const body = fixture('salla/order-created-paid-credit-card.json');
    body.data.items[0].quantity = 'two';
    const { raw, headers } = signed(body);
    const res = await postWebhook(pipeline, 'salla', raw, headers);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('data.items.0.quantity');
    expect(JSON.stringify(res.body)).not.toContain('two');
    await expectNothingChanged();
  });

  it('413 on an oversized body', async () => {
    const body = fixture('salla/order-created-paid-credit-card.json');
    body.data.notes = 'x'.repeat(1_100_000);
    const { raw, headers } = signed(body);
    const res = await postWebhook(pipeline, 'salla', raw, headers);
    expect(res.status).toBe(413);
    await expectNothingChanged();
  });

  it('200 no-op for an order of an unknown product', async () => {
    const body = fixture('salla/order-created-paid-credit-card.json');
    body.data.items[0].product.id = 111;
    const { raw, headers } = signed(body);
    const res = await postWebhook(pipeline, 'salla', raw, headers);
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ outcome: 'IGNORED', reason: 'no line maps to a digital product' });
    await expectNothingChanged();
  });

  it('200 no-op for an order that is not paid (bank transfer under review)', async () => {
    const { raw, headers } = signed(fixture('salla/order-created-bank-under-review.json'));
    const res = await postWebhook(pipeline, 'salla', raw, headers);
    expect(res.status).toBe(200);
    expect(res.body.result?.outcome).toBe('IGNORED');
    await expectNothingChanged();
  });

  it('200 no-op for an unpaid Zid order', async () => {
    const raw = JSON.stringify(fixture('zid/order-create-unpaid-bank-transfer.json'));
    const res = await postWebhook(pipeline, 'zid', raw, zidBasicAuthHeaders(DEMO_ZID_CREDENTIALS.username, DEMO_ZID_CREDENTIALS.password));
    expect(res.status).toBe(200);
    expect(res.body.result?.outcome).toBe('IGNORED');
    await expectNothingChanged();
  });

  it('logs why, without the body', () => {
    const logs = capturedLogs();
    expect(logs).toContain('signature or credentials do not match');
    expect(logs).toContain('body is not valid JSON');
    expect(logs).not.toContain('abdullah.alqahtani@example.sa');
    expect(logs).not.toContain('551234567');
  });

  it('control: a valid signed order is enqueued exactly once', async () => {
    const sample = sampleSallaOrder('900000009');
    const res = await postWebhook(pipeline, 'salla', sample.raw, sample.headers);
    expect(res.status).toBe(200);
    expect(await queueDepth(pipeline, pipeline.resources.ordersQueueUrl)).toBe(1);
  });

  it('503 for Salla and 429 for Zid when the queue cannot be reached', async () => {
    await pipeline.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: pipeline.resources.ordersQueueUrl }));
    const salla = sampleSallaOrder('900000010');
    expect((await postWebhook(pipeline, 'salla', salla.raw, salla.headers)).status).toBe(503);
    const zid = sampleZidOrder('41000010');
    expect((await postWebhook(pipeline, 'zid', zid.raw, zid.headers)).status).toBe(429);
  });
});
