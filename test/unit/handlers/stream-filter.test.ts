// The restock event filter must let through every record the handler acts on, and drop the rest.
import type { DynamoDBRecord } from 'aws-lambda';
import { passesRestockFilters } from '#adapters/dynamo/stream-filter';
import { groupBySku } from '#adapters/dynamo/stream-records';

const record = (eventName: DynamoDBRecord['eventName'], pk: string, sk: string, oldStatus?: string, newStatus?: string): DynamoDBRecord => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { pk: { S: pk }, sk: { S: sk } },
    SequenceNumber: String(Math.floor(Math.random() * 1e9)),
    ...(oldStatus ? { OldImage: { pk: { S: pk }, sk: { S: sk }, status: { S: oldStatus } } } : {}),
    ...(newStatus ? { NewImage: { pk: { S: pk }, sk: { S: sk }, status: { S: newStatus } } } : {}),
  },
});

const acted = [
  record('INSERT', 'SKU#A', 'CODE#1', undefined, 'AVAILABLE'),
  record('MODIFY', 'SKU#A', 'CODE#2', 'AVAILABLE', 'RESERVED'),
  record('MODIFY', 'SKU#A', 'CODE#3', 'RESERVED', 'AVAILABLE'),
  record('INSERT', 'BACKORDER#A', '2026-01-01T00:00:00.000Z#S#O#L#1'),
];
const ignored = [
  record('INSERT', 'ORDER#S#O', 'META'),
  record('MODIFY', 'ORDER#S#O', 'UNIT#L#1'),
  record('MODIFY', 'SKU#A', 'CONFIG'),
  record('INSERT', 'SKU#A', 'REORDER#r1'),
  record('INSERT', 'SKU#A', 'LEASE#FILL'),
  record('INSERT', 'CODEID#abc', 'GUARD'),
  record('REMOVE', 'BACKORDER#A', '2026-01-01T00:00:00.000Z#S#O#L#1'),
  record('INSERT', 'STORE#S', 'PRODUCT#P'),
];

describe('restock stream filter', () => {
  it('passes every record the handler acts on', () => {
    for (const r of acted) {
      expect(groupBySku([r]).size).toBe(1);
      expect(passesRestockFilters(r)).toBe(true);
    }
  });

  it('drops orders, units, config, reorders, leases, guards, product maps and removed backorders', () => {
    for (const r of ignored) {
      expect(groupBySku([r]).size).toBe(0);
      expect(passesRestockFilters(r)).toBe(false);
    }
  });
});
