// The customer's screen through every channel, end to end on the local engines: signed Salla orders
// delivered by WhatsApp (the template as the fake Graph API rendered it), falling back to SMS after a
// permanent WhatsApp error or a `failed` status callback, by e-mail, and as a one-time reveal link.
// The adapters' real HTTP and SDK requests go to the local fakes.
import { createHmac } from 'node:crypto';
import { sampleSallaOrder, DEMO_SALLA_STORE } from '#adapters/platforms/salla/local';
import type { FakeSes } from '#adapters/channels/email/fake/fake-ses';
import type { FakeWhatsApp } from '#adapters/channels/whatsapp/fake/fake-graph-api';
import { LOCAL_WHATSAPP_APP_SECRET } from '#adapters/channels/whatsapp/local';
import { seed } from '#local/seed';
import { codeSecrets, eventually, expectNoCodeInLogs, postWebhook, queueDepth, report, startTestPipeline } from './helpers';

jest.setTimeout(90_000);

const SKU = 'ITUNES-SA-50';
// Salla's fixture customer: +966 551234567; the fallbacks use numbers the fakes treat specially.
const NOT_ON_WHATSAPP = 551000001;
const FAILS_AFTER_ACCEPT = 551000002;

describe('channels: WhatsApp, SMS, e-mail and reveal links', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  let whatsapp: FakeWhatsApp;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      channel: 'whatsapp,sms,email',
      channelFakes: { whatsapp: { failRecipients: { [`966${NOT_ON_WHATSAPP}`]: 131026 }, failAfterAccept: { [`966${FAILS_AFTER_ACCEPT}`]: 131049 } } },
      // The tests change the store's chain between orders: read it every time.
      env: { STORE_SETTINGS_CACHE_SECONDS: '0' },
    });
    whatsapp = (pipeline.channelFakes.whatsapp as unknown as { fake: FakeWhatsApp }).fake;
    await seed(pipeline.deps, { stock: 20 });
    await pipeline.deps.catalog.putStoreSettings({ storeId: DEMO_SALLA_STORE, channels: ['whatsapp', 'sms', 'email'], linkChannels: [] });
  });
  afterAll(async () => pipeline?.stop());

  const codeMessagesOf = (orderId: string) => pipeline.recorder.messages().filter((m) => m.ref.startsWith(`${DEMO_SALLA_STORE}/${orderId}/`));
  const smsTo = (mobile: number) => pipeline.recorder.messages().filter((m) => m.channel === 'sms' && m.to.phone === `+966${mobile}`);
  const unitsOf = async (orderId: string) => pipeline.deps.orders.listUnits(DEMO_SALLA_STORE, orderId);
  const useChain = (channels: string[], linkChannels: string[] = []) => pipeline.deps.catalog.putStoreSettings({ storeId: DEMO_SALLA_STORE, channels, linkChannels });

  async function order(orderId: string, overrides: { mobile?: number } = {}) {
    const sample = sampleSallaOrder(orderId, { quantity: 1, ...overrides });
    const res = await postWebhook(pipeline, 'salla', sample.raw, sample.headers);
    expect(res.status).toBe(200);
  }

  const delivered = (orderId: string) =>
    eventually(async () => {
      const units = await unitsOf(orderId);
      return units.length === 1 && units[0].state === 'DELIVERED' && units[0].channel !== undefined && units[0];
    }, 20_000, `order ${orderId} delivered`);

  it('a Salla order by WhatsApp: the UTILITY template in Arabic with the code and a copy-code button', async () => {
    await useChain(['whatsapp', 'sms', 'email']);
    await order('710000001');
    const unit = await delivered('710000001');
    expect(unit).toMatchObject({ channel: 'whatsapp', providerMessageId: expect.stringMatching(/^wamid\./) });
    const [accepted] = whatsapp.accepted().filter((m) => m.ref === `${DEMO_SALLA_STORE}/710000001/${unit.unitId}`);
    expect(accepted).toMatchObject({ templateName: 'streamsync_code', language: 'ar', to: '966551234567' });
    const codes = await codeSecrets(pipeline, [SKU]);
    const code = codes.find((c) => accepted.rendered.includes(c));
    expect(code).toBeDefined();
    expect(accepted.copyCode).toBe(code!.split(' ')[0].length <= 15 ? code!.split(' ')[0] : undefined);
    expect(codeMessagesOf('710000001').map((m) => m.channel)).toEqual(['whatsapp']);
  });

  it('not on WhatsApp (131026): the same code by SMS, both outcomes on the unit', async () => {
    await order('710000002', { mobile: NOT_ON_WHATSAPP });
    const unit = await delivered('710000002');
    expect(unit).toMatchObject({ channel: 'sms', channelsTried: ['whatsapp'] });
    expect(unit.channelLog?.map((e) => `${e.channel} ${e.outcome} ${e.reason ?? ''}`.trim())).toEqual(['whatsapp FAILED PERMANENT 131026', 'sms SENT']);
    // An SMS carries no ref: the fake SNS knows it by its number.
    const sms = smsTo(NOT_ON_WHATSAPP);
    expect(sms).toHaveLength(1);
    expect((await codeSecrets(pipeline, [SKU])).some((c) => sms[0].body.includes(c))).toBe(true);
  });

  it('accepted, then reported failed by a signed status callback: the same code by SMS, once', async () => {
    await order('710000003', { mobile: FAILS_AFTER_ACCEPT });
    const unit = await eventually(async () => {
      const [u] = await unitsOf('710000003');
      return u?.state === 'DELIVERED' && u.channel === 'sms' && u;
    }, 20_000, 'order 710000003 delivered again by SMS').catch(async (err) => {
      throw new Error(`${(err as Error).message}: ${JSON.stringify(await unitsOf('710000003'))} ${JSON.stringify(whatsapp.webhooks())}`);
    });
    expect(unit.channelLog?.map((e) => `${e.channel} ${e.outcome}`)).toEqual(['whatsapp SENT', 'whatsapp FAILED', 'sms SENT']);
    expect(unit.channelLog?.[1].reason).toBe('FAILED_AFTER_ACCEPT 131049');
    await whatsapp.settled();
    expect(whatsapp.webhooks().refused).toBe(0);
    // The WhatsApp message and the SMS carry the same code: nothing else was claimed.
    const [first] = whatsapp.accepted().filter((m) => m.ref?.includes('/710000003/'));
    const [sms] = smsTo(FAILS_AFTER_ACCEPT);
    expect((await codeSecrets(pipeline, [SKU])).filter((c) => first.rendered.includes(c) && sms.body.includes(c))).toHaveLength(1);
    expect((await pipeline.deps.stock.audit(SKU)).DELIVERED).toBe(3);
  });

  it('statuses move the unit forward: delivered and read from the fake callbacks', async () => {
    await whatsapp.settled();
    await eventually(async () => (await unitsOf('710000001'))[0]?.deliveryStatus === 'read', 10_000, 'read status recorded');
  });

  it('a status callback with a bad signature is refused 401 and changes nothing', async () => {
    const before = await queueDepth(pipeline, pipeline.resources.ordersQueueUrl);
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.x', status: 'failed', timestamp: '1', biz_opaque_callback_data: `${DEMO_SALLA_STORE}/710000001/x#1` }] } }] }] });
    const forged = createHmac('sha256', 'not-the-app-secret').update(body).digest('hex');
    for (const signature of [`sha256=${forged}`, 'sha256=zz', undefined]) {
      const res = await fetch(`${pipeline.webhookUrl}/channels/whatsapp/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature && { 'x-hub-signature-256': signature }) },
        body,
      });
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('unauthorized');
    }
    const signed = createHmac('sha256', LOCAL_WHATSAPP_APP_SECRET).update(body).digest('hex');
    expect((await fetch(`${pipeline.webhookUrl}/channels/whatsapp/status`, { method: 'POST', headers: { 'x-hub-signature-256': `sha256=${signed}` }, body: '{not json' })).status).toBe(401);
    expect(await queueDepth(pipeline, pipeline.resources.ordersQueueUrl)).toBe(before);
    expect((await unitsOf('710000001'))[0]).toMatchObject({ state: 'DELIVERED', channel: 'whatsapp' });
  });

  it("Meta's subscription check needs the verify token", async () => {
    const url = `${pipeline.webhookUrl}/channels/whatsapp/status?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=`;
    expect((await fetch(`${url}wrong`)).status).toBe(403);
    const ok = await fetch(`${url}${encodeURIComponent('local-whatsapp-verify-token')}`);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
  });

  it('by e-mail when the store chooses it: subject, text and RTL HTML at the fake SES', async () => {
    await useChain(['email']);
    await order('710000004');
    const unit = await delivered('710000004');
    expect(unit).toMatchObject({ channel: 'email' });
    const [mail] = codeMessagesOf('710000004');
    expect(mail).toMatchObject({ channel: 'email', to: { email: expect.stringContaining('@') } });
    const code = (await codeSecrets(pipeline, [SKU])).find((c) => mail.body.includes(c));
    expect(code).toBeDefined();
    const ses = (pipeline.channelFakes.email as unknown as { fake: FakeSes }).fake;
    const sent = ses.accepted().find((m) => m.request.Content?.Simple?.Headers?.some((h) => h.Value === `${DEMO_SALLA_STORE}/710000004/${unit.unitId}`));
    const simple = sent?.request.Content?.Simple;
    expect(simple?.Subject?.Data).toContain('710000004'.slice(-8).replace(/^0+/, ''));
    expect(simple?.Body?.Text?.Data).toContain(code);
    expect(simple?.Body?.Html?.Data).toMatch(/<html[^>]*dir="rtl"/);
    expect(simple?.Body?.Html?.Data).toContain(code);
  });

  it('as a one-time reveal link: WhatsApp carries the link, opening it spends nothing, its button shows the code once', async () => {
    await useChain(['whatsapp', 'sms'], ['whatsapp']);
    await order('710000005');
    const unit = await delivered('710000005');
    expect(unit.revealLinkExpiresAt).toBeDefined();
    const [accepted] = whatsapp.accepted().filter((m) => m.ref?.includes('/710000005/'));
    expect(accepted.templateName).toBe('streamsync_code_link');
    const link = /https?:\/\/\S+\/c\/[A-Za-z0-9_-]{24}/.exec(accepted.rendered)?.[0];
    expect(link).toBeDefined();
    const codes = await codeSecrets(pipeline, [SKU]);
    expect(codes.some((c) => accepted.rendered.includes(c))).toBe(false);
    // WhatsApp's own link preview fetches it first, then the customer opens it: neither spends it.
    for (let i = 0; i < 2; i++) {
      const opened = await fetch(link!);
      const confirm = await opened.text();
      expect(opened.status).toBe(200);
      expect(confirm).toContain('<form method="post"');
      expect(codes.some((c) => confirm.includes(c.split(' ')[0]))).toBe(false);
    }
    expect((await unitsOf('710000005'))[0].revealedAt).toBeUndefined();
    // The page's button.
    const page = await fetch(link!, { method: 'POST' });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(codes.some((c) => html.includes(c.split(' ')[0]))).toBe(true);
    expect((await unitsOf('710000005'))[0].revealedAt).toBeDefined();
    for (const method of ['POST', 'GET']) expect((await fetch(link!, { method })).status).toBe(410);
    report(`channels: whatsapp, sms fallback (permanent and after accept), e-mail and reveal link delivered; ${whatsapp.webhooks().sent} status callbacks taken`);
  });

  it('no code or link token in any log line', async () => {
    await expectNoCodeInLogs(pipeline, [SKU]);
    expect(pipeline.errors).toEqual([]);
  });
});
