// Code items in their shards (CODES#<sku>#<shard>) beside codes stored before sharding (SKU#<sku>), on
// DynamoDB Local: both kinds are claimed, sent, audited and given back to stock where they are, each unit
// records where its code is, and a new code never lands in the old partition.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamo/client';
import { availableCodeItem, newCodeKeyOf } from '#adapters/dynamo/items';
import { CODE_SHARDS, skuPk } from '#adapters/dynamo/keys';
import { auditSku, claimedUnitKeys } from '#cli/audit-check';
import { readCodeRows, readUnitRows } from '#cli/table-reads';
import { localCodeVault } from '#local/code-vault';
import { demoCatalogue } from '#local/demo-data';
import { codeItems, enqueueOrder, eventually, startTestPipeline } from './helpers';

jest.setTimeout(60_000);

describe('code item keys: sharded, and stored before sharding', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const SKU = 'KEYS-TEST-50';
  const LEGACY = ['OLD-KEY-0001', 'OLD-KEY-0002', 'OLD-KEY-0003'];
  const NEW = Array.from({ length: 20 }, (_, i) => `NEW-KEY-${String(i).padStart(4, '0')}`);

  beforeAll(async () => {
    // The suites' 5 s visibility gives a sender a 3 s lease: on a busy machine a stalled send is taken
    // over and sent again (the recovery the chaos suites prove). This suite is about where codes are kept.
    pipeline = await startTestPipeline({ visibilityTimeoutSeconds: 30 });
    const [template] = (await demoCatalogue()).skus;
    await pipeline.deps.catalog.putSkuConfig({ ...template, sku: SKU, supplier: undefined, alternates: undefined, threshold: 0, reorderQuantity: 0 } as typeof template);
    // Codes as the store wrote them before sharding: under the SKU's one partition.
    const vault = localCodeVault(JSON.parse(process.env.LOCAL_SECRETS_JSON!));
    const db = createDocumentClient(pipeline.clients.dynamo);
    for (const code of LEGACY) {
      const codeId = vault.idOf({ code });
      const sealed = await vault.seal({ code, format: 'text' }, { sku: SKU, codeId });
      const item = availableCodeItem({ sku: SKU, codeId, sealed, source: 'before-sharding', addedAt: new Date().toISOString(), shards: 8, legacyKey: true });
      await db.send(new PutCommand({ TableName: pipeline.resources.tableName, Item: item }));
    }
    await pipeline.deps.stock.addCodes(SKU, NEW.map((code) => ({ code, format: 'text' as const })), 'test');
  });
  afterAll(async () => pipeline?.stop());

  it('new codes spread over the shards; none goes where codes were kept before', async () => {
    const items = await codeItems(pipeline, SKU);
    expect(items).toHaveLength(LEGACY.length + NEW.length);
    expect(items.filter((i) => i.pk === skuPk(SKU))).toHaveLength(LEGACY.length);
    const shards = new Set(items.filter((i) => i.pk !== skuPk(SKU)).map((i) => i.pk));
    expect(shards.size).toBeGreaterThan(5);
    for (const pk of shards) expect(pk).toMatch(new RegExp(`^CODES#${SKU}#([0-9]|1[0-5])$`));
    expect(CODE_SHARDS).toBe(16);
    expect(items.filter((i) => i.pk !== skuPk(SKU)).every((i) => i.pk === newCodeKeyOf(SKU, i.codeId).pk)).toBe(true);
  });

  it('every code, old or new, is delivered once to its unit, which records where it is; the audit agrees', async () => {
    const orders = Array.from({ length: LEGACY.length + NEW.length }, (_, i) => `keys-${i}`);
    for (const [i, orderId] of orders.entries()) await enqueueOrder(pipeline, { orderId, sku: SKU, quantity: 1, customer: { phone: `+9665000${String(30_000 + i)}` } });
    const units = await eventually(async () => {
      const all = (await Promise.all(orders.map((orderId) => pipeline.deps.orders.listUnits('S1', orderId)))).flat();
      return all.length === orders.length && all.every((u) => u.state === 'DELIVERED') && all;
    }, 40_000, 'every order delivered');

    const items = new Map((await codeItems(pipeline, SKU)).map((i) => [i.codeId as string, i]));
    expect(new Set(units.map((u) => u.codeId)).size).toBe(orders.length);
    for (const unit of units) {
      const item = items.get(unit.codeId!)!;
      expect(item.status).toBe('DELIVERED');
      expect(unit.codeKey).toBe(item.pk);
    }
    expect(units.filter((u) => u.codeKey === skuPk(SKU))).toHaveLength(LEGACY.length);
    // Every code value reached the customer of its own unit, exactly once.
    const bodies = pipeline.recorder.messages().filter((m) => m.kind === 'CODE' && m.ref.startsWith('S1/keys-')).map((m) => m.body);
    for (const code of [...LEGACY, ...NEW]) expect(bodies.filter((b) => b.includes(code))).toHaveLength(1);

    await expect(pipeline.deps.stock.audit(SKU)).resolves.toEqual({ AVAILABLE: 0, RESERVED: 0, DELIVERED: orders.length, REVOKED: 0 });
    const db = createDocumentClient(pipeline.clients.dynamo);
    const codes = await readCodeRows(db, pipeline.resources.tableName, SKU);
    const audit = auditSku(SKU, codes, await readUnitRows(db, pipeline.resources.tableName, claimedUnitKeys(codes)));
    expect(audit).toMatchObject({ imported: orders.length, delivered: orders.length, ok: true, problems: [] });
  });
});
