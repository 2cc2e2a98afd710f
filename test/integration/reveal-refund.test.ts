// The reveal route against a refund, on DynamoDB Local through the real adapters and handler: a link
// revealed first (its page's POST) keeps its code (the refund is reported to the merchant), a refund
// first puts the code back in stock (the link then shows the expired page), and run side by side they
// never both win. Opening the link (GET, as a preview or scanner does) never counts as revealed.
import { cancelOrder } from '#core/cancel-order';
import type { NewUnit } from '#core/ports/orders';
import { auditSku, claimedUnitKeys } from '#cli/audit-check';
import { readCodeRows, readUnitRows } from '#cli/table-reads';
import { createDocumentClient } from '#adapters/dynamo/client';
import { seed } from '#local/seed';
import { deliverAsLink, tokenOf } from '#test/contract/link-delivery';
import { capturedLogs, expectNoCodeInLogs, codeItems, report, startTestPipeline } from './helpers';

jest.setTimeout(60_000);

const SKU = 'REVEAL-1';
const STORE = 'S-REVEAL';
const RACES = 24;

describe('reveal link vs refund', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const tokens: string[] = [];
  const unitOf = (orderId: string): NewUnit => ({ storeId: STORE, orderId, unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: new Date().toISOString(), productName: 'Card 50' });
  const refund = (orderId: string) => cancelOrder(pipeline.deps, { kind: 'CANCEL', platform: 'salla', storeId: STORE, orderId, reason: 'refunded', receivedAt: new Date().toISOString() });
  /** GET: opening the link (the customer, or a preview or scanner before them). */
  const open = async (token: string) => {
    const res = await fetch(`${pipeline.revealBaseUrl}/c/${token}`, { headers: { 'accept-language': 'en' } });
    return { status: res.status, body: await res.text() };
  };
  /** POST: the open page's "Show my code" button. */
  const reveal = async (token: string) => {
    const res = await fetch(`${pipeline.revealBaseUrl}/c/${token}`, { method: 'POST', headers: { 'accept-language': 'en' } });
    return { status: res.status, body: await res.text() };
  };
  const sendLink = async (orderId: string) => {
    await pipeline.deps.orders.ensureOrder({ platform: 'salla', storeId: STORE, orderId, locale: 'en', customer: { phone: '+966500000001' }, receivedAt: new Date().toISOString() });
    const sent = await deliverAsLink(pipeline.deps, unitOf(orderId), { locale: 'en', orderReference: `R-${orderId}` });
    tokens.push(tokenOf(sent.link));
    return { ...sent, token: tokenOf(sent.link), code: (await pipeline.deps.stock.readCode({ sku: SKU, codeId: sent.unit.codeId!, codeKey: sent.unit.codeKey })).code };
  };
  const codeItem = async (codeId: string) => (await codeItems(pipeline, SKU)).find((i) => i.sk === `CODE#${codeId}`)!;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await seed(pipeline.deps, { skus: [{ sku: SKU, threshold: 0, reorderQuantity: 0 }], products: [], stock: RACES + 4 });
  });
  afterAll(async () => pipeline?.stop());

  it('revealed first: the code is shown, the refund leaves it delivered and tells the merchant', async () => {
    const { token, code, unit } = await sendLink('R-OPENED');
    // Opened (twice, as a preview then the customer would): the button's page, no code, nothing written.
    for (let i = 0; i < 2; i++) {
      const opened = await open(token);
      expect(opened.status).toBe(200);
      expect(opened.body).toContain('<form method="post"');
      expect(opened.body).not.toContain(code);
    }
    expect(await pipeline.deps.orders.getUnit(unit)).toEqual(unit);
    const page = await reveal(token);
    expect(page.status).toBe(200);
    expect(page.body).toContain(code);
    expect(await refund('R-OPENED')).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(await pipeline.deps.orders.getUnit(unit)).toMatchObject({ state: 'DELIVERED', revealedAt: expect.any(String) });
    expect((await codeItem(unit.codeId!)).status).toBe('DELIVERED');
    expect((await reveal(token)).status).toBe(410);
    expect((await open(token)).status).toBe(410);
  });

  it('opened but not revealed when the refund comes: the code goes back to stock, as for a link nobody opened', async () => {
    const { token, code, unit } = await sendLink('R-PREVIEWED');
    expect((await open(token)).status).toBe(200);
    expect(await refund('R-PREVIEWED')).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
    expect((await codeItem(unit.codeId!)).status).toBe('AVAILABLE');
    for (const page of [await open(token), await reveal(token)]) {
      expect(page.status).toBe(410);
      expect(page.body).not.toContain(code);
    }
  });

  it('refunded first: the code is back in the index, and the link shows the expired page without it', async () => {
    const { token, code, unit } = await sendLink('R-REFUNDED');
    expect((await codeItem(unit.codeId!)).deliveredAt).toBeDefined();
    expect(await refund('R-REFUNDED')).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
    const returned = await codeItem(unit.codeId!);
    expect(returned).toMatchObject({ status: 'AVAILABLE', availPk: expect.stringMatching(`^AVAIL#${SKU}#`), availSk: unit.codeId });
    // Nothing of the sale stays on the code: the next one records its own.
    for (const gone of ['orderPk', 'unitSk', 'reservedAt', 'deliveredAt']) expect(returned).not.toHaveProperty(gone);
    const page = await open(token);
    expect(page.status).toBe(410);
    expect(page.body).not.toContain(code);
    expect(page.body).toContain('R-R-REFUNDED');
    // The button's POST (a page opened before the refund) gets the same page.
    expect(await reveal(token)).toEqual(page);
    expect(await pipeline.deps.orders.getUnit(unit)).toMatchObject({ state: 'CANCELLED' });
  });

  it(`side by side (${RACES} units): each ends with the code shown or the code back in stock, never both`, async () => {
    const sent = [];
    for (let i = 0; i < RACES; i++) sent.push({ orderId: `R-RACE-${i}`, ...(await sendLink(`R-RACE-${i}`)) });
    const outcomes = await Promise.all(
      sent.map(async (s) => {
        // A preview's GET in the same moment changes nothing either way.
        const [page, cancelled, preview] = await Promise.all([reveal(s.token), refund(s.orderId), open(s.token)]);
        expect(preview.body).not.toContain(s.code);
        return { ...s, page, cancelled, after: await pipeline.deps.orders.getUnit(s.unit), item: await codeItem(s.unit.codeId!) };
      }),
    );
    let shown = 0;
    for (const o of outcomes) {
      if (o.page.status === 200) {
        shown++;
        expect(o.page.body).toContain(o.code);
        expect(o.after).toMatchObject({ state: 'DELIVERED', revealedAt: expect.any(String) });
        expect(o.item.status).toBe('DELIVERED');
        expect(o.cancelled.deliveredBeforeCancel).toEqual(['L1#1']);
      } else {
        expect(o.page.status).toBe(410);
        expect(o.page.body).not.toContain(o.code);
        expect(o.after).toMatchObject({ state: 'CANCELLED' });
        expect(o.after?.revealedAt).toBeUndefined();
        expect(o.item.status).toBe('AVAILABLE');
        expect(o.cancelled).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
      }
    }
    report(`reveal vs refund side by side: ${shown} of ${RACES} shown first, ${RACES - shown} returned to stock first`);
    const flagged = await Promise.all(outcomes.filter((o) => o.page.status === 200).map((o) => pipeline.deps.orders.getOrder(STORE, o.orderId)));
    expect(flagged.every((order) => order?.deliveredBeforeCancel?.includes('L1#1'))).toBe(true);
  });

  it('the audit finds every code where it should be', async () => {
    const db = createDocumentClient(pipeline.clients.dynamo);
    const codes = await readCodeRows(db, pipeline.resources.tableName, SKU);
    const audit = auditSku(SKU, codes, await readUnitRows(db, pipeline.resources.tableName, claimedUnitKeys(codes)));
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
    expect(audit.imported).toBe(RACES + 4);
  });

  it('never logs a code value or a token', async () => {
    await expectNoCodeInLogs(pipeline, [SKU]);
    const logs = capturedLogs();
    expect(tokens.filter((t) => logs.includes(t))).toEqual([]);
    expect(pipeline.errors).toEqual([]);
  });
});
