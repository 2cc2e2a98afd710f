// groupBySku: which DynamoDB stream records count as stock added / taken / backorder added, per SKU.
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { groupBySku } from '#adapters/dynamo/stream-records';

let seq = 100;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', pk: string, sk: string, before?: string, after?: string): DynamoDBRecord {
  const image = (status?: string): Record<string, AttributeValue> | undefined =>
    status === undefined ? undefined : { pk: { S: pk }, sk: { S: sk }, status: { S: status }, sealed: { S: 'c2VhbGVk' } };
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, OldImage: image(before), NewImage: image(after), SequenceNumber: String(seq++), StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}
const code = (sku: string, before?: string, after?: string) =>
  record(before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY', `SKU#${sku}`, `CODE#id-${seq}`, before, after);
const none = { stockTaken: false, stockAdded: false, backorderAdded: false };

describe('groupBySku', () => {
  it('an AVAILABLE code inserted is stock added', () => {
    const r = code('A', undefined, 'AVAILABLE');
    expect(groupBySku([r]).get('A')).toEqual({ activity: { ...none, stockAdded: true }, sequenceNumbers: [r.dynamodb!.SequenceNumber] });
  });

  it.each([
    ['AVAILABLE → RESERVED (a claim)', 'AVAILABLE', 'RESERVED'],
    ['AVAILABLE → REVOKED', 'AVAILABLE', 'REVOKED'],
    ['AVAILABLE removed', 'AVAILABLE', undefined],
  ])('%s is stock taken', (_name, before, after) => {
    expect(groupBySku([code('A', before, after)]).get('A')?.activity).toEqual({ ...none, stockTaken: true });
  });

  it.each([
    ['RESERVED → DELIVERED', 'RESERVED', 'DELIVERED'],
    ['AVAILABLE → AVAILABLE (another attribute changed)', 'AVAILABLE', 'AVAILABLE'],
    ['DELIVERED → REVOKED', 'DELIVERED', 'REVOKED'],
  ])('%s is ignored', (_name, before, after) => {
    expect(groupBySku([code('A', before, after)]).size).toBe(0);
  });

  it('a code in its shard (CODES#<sku>#<n>) counts for the SKU its item names, # in the SKU included', () => {
    const sharded = (sku: string, before?: string, after?: string): DynamoDBRecord => {
      const r = record(before === undefined ? 'INSERT' : 'MODIFY', `CODES#${sku}#7`, `CODE#id-${seq}`, before, after);
      for (const image of [r.dynamodb!.OldImage, r.dynamodb!.NewImage]) if (image) image.sku = { S: sku };
      return r;
    };
    const batches = groupBySku([sharded('A#B', undefined, 'AVAILABLE'), sharded('C', 'AVAILABLE', 'RESERVED')]);
    expect(batches.get('A#B')?.activity).toEqual({ ...none, stockAdded: true });
    expect(batches.get('C')?.activity).toEqual({ ...none, stockTaken: true });
    expect([...batches.keys()].sort()).toEqual(['A#B', 'C']);
  });

  it('a backorder inserted is a backorder added; its removal is ignored', () => {
    const added = record('INSERT', 'BACKORDER#B', '2025-03-01T10:00:00.000Z#S1#O1#L1#1');
    const removed = record('REMOVE', 'BACKORDER#B', '2025-03-01T09:00:00.000Z#S1#O0#L1#1');
    const batches = groupBySku([removed, added]);
    expect(batches.get('B')).toEqual({ activity: { ...none, backorderAdded: true }, sequenceNumbers: [added.dynamodb!.SequenceNumber] });
  });

  it('SKU config, leases, reorders, orders, units and product maps are ignored', () => {
    const records = [
      record('MODIFY', 'SKU#A', 'CONFIG', 'x', 'y'),
      record('INSERT', 'SKU#A', 'LEASE#FILL'),
      record('INSERT', 'SKU#A', 'REORDER#A-1'),
      record('INSERT', 'ORDER#S1#O1', 'META'),
      record('MODIFY', 'ORDER#S1#O1', 'UNIT#L1#1', 'RESERVED', 'DELIVERED'),
      record('INSERT', 'STORE#S1', 'PRODUCT#P1'),
    ];
    expect(groupBySku(records).size).toBe(0);
  });

  it('merges activity per SKU and keeps each SKU’s sequence numbers in order', () => {
    const a1 = code('A', undefined, 'AVAILABLE');
    const b1 = code('B', 'AVAILABLE', 'RESERVED');
    const a2 = code('A', 'AVAILABLE', 'RESERVED');
    const ignored = code('A', 'RESERVED', 'DELIVERED');
    const a3 = record('INSERT', 'BACKORDER#A', '2025#S1#O1#L1#1');
    const batches = groupBySku([a1, b1, a2, ignored, a3]);
    expect([...batches.keys()]).toEqual(['A', 'B']);
    expect(batches.get('A')).toEqual({
      activity: { stockAdded: true, stockTaken: true, backorderAdded: true },
      sequenceNumbers: [a1, a2, a3].map((r) => r.dynamodb!.SequenceNumber),
    });
    expect(batches.get('B')?.sequenceNumbers).toEqual([b1.dynamodb!.SequenceNumber]);
  });

  it('keeps a SKU that itself contains "#"', () => {
    expect([...groupBySku([code('GIFT#50', undefined, 'AVAILABLE')]).keys()]).toEqual(['GIFT#50']);
  });
});
