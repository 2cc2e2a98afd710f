// Issue 12, codes at rest on DynamoDB Local: a sealed value copied into another code item (someone with
// table write access and no key) is never sent; key versions side by side through the real stock store;
// the size of a code item with its envelope; and what KMS is asked per order.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LocalDataKeys } from '#adapters/crypto/data-keys';
import { CodeIds } from '#adapters/crypto/code-ids';
import { CodeVault } from '#adapters/crypto/code-vault';
import { createDocumentClient } from '#adapters/dynamo/client';
import { newCodeKeyOf } from '#adapters/dynamo/items';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { CodeIntegrityError } from '#core/errors';
import { CODE_ID_KEY_SECRET, localCodeVault } from '#local/code-vault';
import { demoCatalogue } from '#local/demo-data';
import { awaitAlerts, drainQueue, enqueueOrder, eventually, codeItems, report, startTestPipeline } from './helpers';

jest.setTimeout(90_000);

describe('codes at rest: sealed to their own item', () => {
  let pipeline: Awaited<ReturnType<typeof startTestPipeline>>;
  const SKU = 'SEAL-TEST-50';
  const COUNTED = 'SEAL-COUNT-50';

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    const [template] = (await demoCatalogue()).skus;
    for (const sku of [SKU, COUNTED]) await pipeline.deps.catalog.putSkuConfig({ ...template, sku, supplier: undefined, alternates: undefined, threshold: 0, reorderQuantity: 0 } as typeof template);
  });
  afterAll(async () => pipeline?.stop());

  const db = () => createDocumentClient(pipeline.clients.dynamo);
  /** Where a code imported now is kept: its shard of the SKU's code partitions. */
  const at = (codeId: string) => ({ sku: SKU, codeId, codeKey: newCodeKeyOf(SKU, codeId).pk });
  const codeItem = async (codeId: string) =>
    (await db().send(new GetCommand({ TableName: pipeline.resources.tableName, Key: newCodeKeyOf(SKU, codeId) }))).Item!;

  it('a delivered code\'s ciphertext copied into an available item is held, never sent a second time', async () => {
    const vault = () => localCodeVault(JSON.parse(process.env.LOCAL_SECRETS_JSON!));
    await pipeline.deps.stock.addCodes(SKU, [{ code: 'SEAL-FIRST-0001', format: 'text' }], 'test');
    await enqueueOrder(pipeline, { orderId: 'seal-1', sku: SKU, quantity: 1, customer: { phone: '+966500000111' } });
    await eventually(async () => (await pipeline.deps.orders.listUnits('S1', 'seal-1'))[0]?.state === 'DELIVERED', 15_000, 'first order delivered');
    expect(pipeline.recorder.messages().filter((m) => m.body.includes('SEAL-FIRST-0001'))).toHaveLength(1);

    // The attacker: table write access, no key. Copies the delivered code's sealed value into a fresh item.
    await pipeline.deps.stock.addCodes(SKU, [{ code: 'SEAL-SECOND-0002', format: 'text' }], 'test');
    const first = await codeItem(vault().idOf({ code: 'SEAL-FIRST-0001' }));
    const secondId = vault().idOf({ code: 'SEAL-SECOND-0002' });
    await db().send(new UpdateCommand({ TableName: pipeline.resources.tableName, Key: newCodeKeyOf(SKU, secondId), UpdateExpression: 'SET sealed = :s', ExpressionAttributeValues: { ':s': first.sealed } }));
    await expect(pipeline.deps.stock.readCode(at(secondId))).rejects.toThrow(CodeIntegrityError);

    await drainQueue(pipeline, pipeline.resources.alertsInboxUrl);
    await enqueueOrder(pipeline, { orderId: 'seal-2', sku: SKU, quantity: 1, customer: { phone: '+966500000222' } });
    const [unit] = await eventually(async () => {
      const units = await pipeline.deps.orders.listUnits('S1', 'seal-2');
      return units[0]?.state === 'HELD' && units;
    }, 15_000, 'second order held');
    expect(unit).toMatchObject({ heldReason: 'CODE_UNREADABLE', codeId: secondId });
    // The first customer's code went out once, to the first customer only.
    expect(pipeline.recorder.messages().filter((m) => m.body.includes('SEAL-FIRST-0001'))).toHaveLength(1);
    const heldAlerts = (alerts: Array<{ type: string; orderId?: string }>) => alerts.filter((a) => a.type === 'UNIT_HELD' && a.orderId === 'seal-2');
    const alerts = await awaitAlerts(pipeline, 'the UNIT_HELD alert', (all) => heldAlerts(all).length > 0, 15_000);
    expect(heldAlerts(alerts)).toHaveLength(1);
  });

  it('key version 2 seals new codes while version 1 codes stay readable; a code item with its envelope stays under 1 KB (1 WRU)', async () => {
    const secrets = JSON.parse(process.env.LOCAL_SECRETS_JSON!) as Record<string, string>;
    const ids = new CodeIds(secrets[CODE_ID_KEY_SECRET]);
    const master1 = Buffer.from(secrets['streamsync/local-code-key/1'], 'base64');
    const master2 = Buffer.alloc(32, 2);
    const storeWith = (version: string, masters: Record<string, Buffer>) =>
      new DynamoStockStore(db(), pipeline.resources.tableName, new CodeVault(ids, new LocalDataKeys(masters), { version }), { shards: 8 });
    const before = storeWith('1', { '1': master1 });
    const after = storeWith('2', { '1': master1, '2': master2 });
    await before.addCodes(SKU, [{ code: 'ROT-OLD-0001', pin: '123456', serial: 'SER-0001', expiresAt: '2027-12-31', format: 'text' }], 'rotation-test');
    await after.addCodes(SKU, [{ code: 'ROT-NEW-0002', format: 'text' }], 'rotation-test');
    const [oldId, newId] = ['ROT-OLD-0001', 'ROT-NEW-0002'].map((code) => ids.idOf({ code }));
    expect(CodeVault.versionOf((await codeItem(oldId)).sealed)).toBe('1');
    expect(CodeVault.versionOf((await codeItem(newId)).sealed)).toBe('2');
    await expect(after.readCode(at(oldId))).resolves.toMatchObject({ code: 'ROT-OLD-0001' });
    await expect(after.readCode(at(newId))).resolves.toMatchObject({ code: 'ROT-NEW-0002' });
    // A function that was never given version 2 cannot read the new code.
    await expect(before.readCode(at(newId))).rejects.toThrow('Code key version "2" is not configured here');

    // DynamoDB's item size: attribute names plus values, in UTF-8.
    const item = await codeItem(oldId);
    const bytes = Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(String(value)), 0);
    report(`code item with its envelope (code, PIN, serial, expiry): ${bytes} bytes, sealed value ${String(item.sealed).length} characters`);
    expect(bytes).toBeLessThan(1024);
  });

  it('KMS is asked about once per batch of codes, not once per order', async () => {
    const before = { ...LocalDataKeys.requests };
    await pipeline.deps.stock.addCodes(COUNTED, Array.from({ length: 20 }, (_, i) => ({ code: `KMS-COUNT-${String(i).padStart(4, '0')}`, format: 'text' as const })), 'test');
    for (let i = 0; i < 20; i++) await enqueueOrder(pipeline, { orderId: `kms-${i}`, sku: COUNTED, quantity: 1, customer: { phone: `+9665000003${String(i).padStart(2, '0')}` } });
    await eventually(async () => {
      const states = await Promise.all(Array.from({ length: 20 }, async (_, i) => (await pipeline.deps.orders.listUnits('S1', `kms-${i}`))[0]?.state));
      return states.every((s) => s === 'DELIVERED');
    }, 45_000, '20 orders delivered');
    const used = { generate: LocalDataKeys.requests.generate - before.generate, decrypt: LocalDataKeys.requests.decrypt - before.decrypt };
    report(`KMS requests for 20 codes imported and 20 orders delivered: ${used.generate} GenerateDataKey, ${used.decrypt} Decrypt`);
    expect(used.generate + used.decrypt).toBeLessThanOrEqual(3);
    expect((await codeItems(pipeline, COUNTED)).length).toBe(20);
  });
});
