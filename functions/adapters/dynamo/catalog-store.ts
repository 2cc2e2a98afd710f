// SKU configuration and the platform product → SKU map.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, queryAll } from './reads';
import { KIND_INDEX } from './table-schema';
import { CONFIG_SK, STORE_SETTINGS_SK, productSk, skuPk, storePk, variantSk } from './keys';
import type { ProductMapping, SkuConfig, StoreSettings } from '#core/model';
import type { CatalogStore, LineMappings } from '#core/ports/catalog';

const SKU_KIND = 'SKU';
const SKU_SETTINGS = ['sku', 'name', 'threshold', 'reorderQuantity', 'supplier', 'supplierProductId', 'unitPrice', 'alternates', 'maxReorderQuantity', 'value', 'verifyPayment', 'velocity'] as const satisfies ReadonlyArray<keyof SkuConfig>;

/** The fields of a store's settings item (the rest of the item is its key and kind). */
const STORE_SETTING_FIELDS = ['channels', 'linkChannels', 'writeBack', 'writeBackStatus', 'apiBurst', 'apiPerSecond', 'verifyPaymentAbove'] as const satisfies ReadonlyArray<keyof StoreSettings>;

export class DynamoCatalogStore implements CatalogStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async getSkuConfig(sku: string): Promise<SkuConfig | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: skuPk(sku), sk: CONFIG_SK } }));
    if (!res.Item) return undefined;
    return Object.fromEntries(SKU_SETTINGS.filter((key) => res.Item![key] !== undefined).map((key) => [key, res.Item![key]])) as unknown as SkuConfig;
  }

  async putSkuConfig(config: SkuConfig): Promise<void> {
    // The reorder lease lives on the same item: keep it when the settings change.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':kind': SKU_KIND };
    const sets = ['kind = :kind'];
    const removes: string[] = [];
    // Settings not given are removed (e.g. back to manual restock), never left from an earlier call.
    for (const key of SKU_SETTINGS) {
      names[`#${key}`] = key;
      if (config[key] === undefined) {
        removes.push(`#${key}`);
      } else {
        values[`:${key}`] = config[key];
        sets.push(`#${key} = :${key}`);
      }
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: skuPk(config.sku), sk: CONFIG_SK },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async listSkus(): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: KIND_INDEX.name,
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: { ':kind': SKU_KIND },
    });
    return items.map((item) => item.sku as string);
  }

  async getProductMappings(storeId: string, productIds: string[]): Promise<Map<string, ProductMapping>> {
    return (await this.getLineMappings(storeId, productIds, [])).products;
  }

  async getLineMappings(storeId: string, productIds: string[], variantIds: string[]): Promise<LineMappings> {
    const sks = [...new Set([...productIds.map(productSk), ...variantIds.map(variantSk)])];
    const items = await batchGetAll(this.db, this.table, sks.map((sk) => ({ pk: storePk(storeId), sk })));
    const mappings: LineMappings = { products: new Map(), variants: new Map() };
    for (const item of items) {
      const variant = item.variant === true;
      const mapping: ProductMapping = { storeId, productId: item.productId as string, sku: item.sku as string, multiplier: (item.multiplier as number | undefined) ?? 1, ...(variant && { variant }) };
      (variant ? mappings.variants : mappings.products).set(mapping.productId, mapping);
    }
    return mappings;
  }

  async putProductMapping(mapping: ProductMapping): Promise<void> {
    const sk = mapping.variant ? variantSk(mapping.productId) : productSk(mapping.productId);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: storePk(mapping.storeId), sk, ...mapping } }));
  }

  async deleteProductMapping(ref: Pick<ProductMapping, 'storeId' | 'productId' | 'variant'>): Promise<boolean> {
    const sk = ref.variant ? variantSk(ref.productId) : productSk(ref.productId);
    const res = await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: storePk(ref.storeId), sk }, ReturnValues: 'ALL_OLD' }));
    return res.Attributes !== undefined;
  }

  async getStoreSettings(storeId: string): Promise<StoreSettings | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: storePk(storeId), sk: STORE_SETTINGS_SK } }));
    if (!res.Item) return undefined;
    const item = res.Item as StoreSettings;
    const known = STORE_SETTING_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]);
    return { storeId, ...Object.fromEntries(known) } as StoreSettings;
  }

  async putStoreSettings(settings: StoreSettings): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: storePk(settings.storeId), sk: STORE_SETTINGS_SK, kind: 'STORE_SETTINGS', ...settings } }));
  }
}
