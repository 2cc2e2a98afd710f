// Fast seeding of fake codes: BatchWriteItem 25 items at a time, several batches in flight. Each item
// is the store's own availableCodeItem (sharded `available` GSI keys included).
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeVault } from '#adapters/crypto/code-vault';
import { availableCodeItem } from '#adapters/dynamo/items';

const BATCH = 25;
const MAX_ATTEMPTS = 10;

export interface SeedResult {
  sku: string;
  /** Ids of the seeded codes, in seeding order (the ceiling strategy hands these out). */
  codeIds: string[];
  ms: number;
}

export interface SeedOptions {
  shards: number;
  /** BatchWriteItem calls in flight. */
  parallelism?: number;
  /** Index of the first fake code value: a top-up of the same SKU continues after the codes seeded before. */
  firstIndex?: number;
  /** Code items under the SKU's one partition, as before code items were sharded (the baseline). */
  legacyKeys?: boolean;
}

/**
 * Seeds `count` AVAILABLE codes of `sku`. Code values are fake (`bench:<sku>:<i>`) and never leave this
 * function; ids are their real HMAC ids, so they spread over the shards as production ids do. All items
 * carry one real sealed value of today's size (sealing each fake code would only cost seeding time).
 */
export async function seedCodes(db: DynamoDBDocumentClient, table: string, cipher: CodeVault, sku: string, count: number, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const addedAt = new Date().toISOString();
  const sealed = await cipher.seal({ code: `bench:${sku}:sample`, format: 'text' }, { sku, codeId: 'sample' });
  const firstIndex = options.firstIndex ?? 0;
  const codeIds = Array.from({ length: count }, (_, i) => cipher.idOf({ code: `bench:${sku}:${firstIndex + i}` }));
  const items = codeIds.map((codeId) => availableCodeItem({ sku, codeId, sealed, format: 'text', source: 'bench', addedAt, shards: options.shards, legacyKey: options.legacyKeys }));
  let next = 0;
  const worker = async () => {
    for (let from = next; from < items.length; from = next) {
      next += BATCH;
      let requests = items.slice(from, from + BATCH).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new Error(`Seeding ${sku}: unprocessed items after ${MAX_ATTEMPTS} attempts`);
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallelism ?? 8 }, worker));
  return { sku, codeIds, ms: performance.now() - started };
}
