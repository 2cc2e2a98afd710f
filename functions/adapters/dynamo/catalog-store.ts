// SKU configuration and the platform product → SKU map.
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KIND_INDEX } from '../../shared/table-schema';
import { CONFIG_SK, productSk, skuPk, storePk } from '../../core/keys';
import type { ProductMapping, SkuConfig } from '../../core/model';
import type { CatalogStore } from '../../core/store-ports';

const SKU_KIND = 'SKU';
const SKU_SETTINGS = ['sku', 'name', 'threshold', 'reorderQuantity', 'supplier', 'supplierProductId', 'unitPrice'] as const satisfies ReadonlyArray<keyof SkuConfig>;

export class DynamoCatalogStore implements CatalogStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async getSkuConfig(sku: string): Promise<SkuConfig | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: skuPk(sku), sk: CONFIG_SK } }));
    if (!res.Item) return undefined;
    const { sku: id, name, threshold, reorderQuantity, supplier, supplierProductId, unitPrice } = res.Item;
    return { sku: id, name, threshold, reorderQuantity, supplier, supplierProductId, unitPrice };
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
    const skus: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: KIND_INDEX.name,
          KeyConditionExpression: 'kind = :kind',
          ExpressionAttributeValues: { ':kind': SKU_KIND },
          ExclusiveStartKey: start,
        }),
      );
      skus.push(...(res.Items ?? []).map((item) => item.sku as string));
      start = res.LastEvaluatedKey;
    } while (start);
    return skus;
  }

  async getProductMappings(storeId: string, productIds: string[]): Promise<Map<string, ProductMapping>> {
    const found = new Map<string, ProductMapping>();
    const unique = [...new Set(productIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Array<Record<string, unknown>> | undefined = unique.slice(i, i + 100).map((id) => ({ pk: storePk(storeId), sk: productSk(id) }));
      while (keys && keys.length > 0) {
        const res: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of res.Responses?.[this.table] ?? []) {
          found.set(item.productId, { storeId, productId: item.productId, sku: item.sku, multiplier: item.multiplier ?? 1 });
        }
        keys = res.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async putProductMapping(mapping: ProductMapping): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: storePk(mapping.storeId), sk: productSk(mapping.productId), ...mapping } }),
    );
  }
}
