// Reads DynamoDB stream records into per-SKU activity. Only keys and statuses are looked at:
// sealed code values pass through untouched and are never logged.
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { SkuActivity } from '#core/inventory-events';

const str = (image: Record<string, AttributeValue> | undefined, name: string) => image?.[name]?.S;

export interface SkuBatch {
  activity: SkuActivity;
  /** Sequence numbers of the records about this SKU, to report partial failures. */
  sequenceNumbers: string[];
}

export function groupBySku(records: DynamoDBRecord[]): Map<string, SkuBatch> {
  const skus = new Map<string, SkuBatch>();
  const touch = (sku: string, record: DynamoDBRecord) => {
    let batch = skus.get(sku);
    if (!batch) skus.set(sku, (batch = { activity: { stockTaken: false, stockAdded: false, backorderAdded: false }, sequenceNumbers: [] }));
    batch.sequenceNumbers.push(record.dynamodb?.SequenceNumber ?? '');
    return batch.activity;
  };
  for (const record of records) {
    const keys = record.dynamodb?.Keys;
    const pk = keys?.pk?.S ?? '';
    const sk = keys?.sk?.S ?? '';
    if ((pk.startsWith('CODES#') || pk.startsWith('SKU#')) && sk.startsWith('CODE#')) {
      const before = str(record.dynamodb?.OldImage, 'status');
      const after = str(record.dynamodb?.NewImage, 'status');
      if (before === after) continue;
      // From the item itself: a SKU may contain '#', so its shard's key (`CODES#<sku>#<shard>`) is not parsed.
      const sku = str(record.dynamodb?.NewImage, 'sku') ?? str(record.dynamodb?.OldImage, 'sku') ?? pk.slice('SKU#'.length);
      if (after === 'AVAILABLE') touch(sku, record).stockAdded = true;
      else if (before === 'AVAILABLE') touch(sku, record).stockTaken = true;
    } else if (pk.startsWith('BACKORDER#') && record.eventName === 'INSERT') {
      touch(pk.slice('BACKORDER#'.length), record).backorderAdded = true;
    }
  }
  return skus;
}
