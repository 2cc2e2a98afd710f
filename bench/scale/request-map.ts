// Which partition key each request of an order hits, and what it costs there. The E2E meter counts
// requests per `<function>|DynamoDB.<Operation>` but not per key, so the split is read off the code
// (the call sites named below) and kept here, one entry per counted request kind. Units are AWS's
// billing (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
// a consistent read of ≤ 4 KB is 1 read unit, an eventually consistent one 0.5; a write of ≤ 1 KB is 1
// write unit, 2 in a transaction (every item, ConditionCheck included); an index entry written or
// deleted is an ordinary write on the index
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html).
import type { KeyClass } from './key-design';

export interface Touch {
  key: KeyClass;
  rcu?: number;
  wcu?: number;
  /** Only shard 0 of a sharded key class (a walk that always starts there). */
  firstShard?: boolean;
  why?: string;
}

export interface CallSite {
  what: string;
  /** Where in functions/ the request is made. */
  source: string;
  /** How many of the kind's requests per order this site makes (fixed by the code); none: the rest. */
  perOrder?: number;
  /** Keys and units of ONE request of this site (a transaction touches several). */
  touches: Touch[];
}

const CONSISTENT_READ = 1;
const EVENTUAL_READ = 0.5;
const WRITE = 1;
const TRANSACT_WRITE = 2;

export const REQUEST_MAP: Record<string, CallSite[]> = {
  'webhook|DynamoDB.BatchGetItem': [
    {
      what: "product (and variant) map of the order's lines",
      source: 'functions/adapters/dynamo/catalog-store.ts (batchGetAll)',
      touches: [{ key: 'store', rcu: EVENTUAL_READ, why: 'eventually consistent, one small item per line (the bench orders have one line)' }],
    },
  ],
  'webhook|DynamoDB.UpdateItem': [
    { what: 'delivery marker IN_PROGRESS, then DONE', source: 'functions/adapters/dynamo/delivery-dedupe.ts once', touches: [{ key: 'delivery', wcu: WRITE }] },
  ],
  'delivery|DynamoDB.UpdateItem': [
    { what: 'ensureOrder: the order META', perOrder: 1, source: 'functions/adapters/dynamo/order-store.ts ensureOrder', touches: [{ key: 'order', wcu: WRITE }] },
    {
      what: 'markDelivered: the code RESERVED → DELIVERED',
      perOrder: 1,
      source: 'functions/adapters/dynamo/send-store.ts markDelivered',
      touches: [{ key: 'code', wcu: WRITE, why: 'no index write: the code left the index at the claim' }],
    },
    { what: 'markDelivered: the unit DELIVERED', perOrder: 1, source: 'functions/adapters/dynamo/send-store.ts markDelivered', touches: [{ key: 'order', wcu: WRITE }] },
    {
      what: 'velocity charge, one per customer identity (phone, e-mail)',
      source: 'functions/adapters/dynamo/velocity-ledger.ts charge',
      touches: [{ key: 'velocity', wcu: WRITE, why: "one customer's counter: hot only if one customer places the sale's orders" }],
    },
  ],
  'delivery|DynamoDB.Query': [
    {
      what: "hasBackorders: the oldest entry of the SKU's FIFO (Limit 1, consistent)",
      perOrder: 1,
      source: 'functions/adapters/dynamo/backorder-queue.ts hasBackorders',
      touches: [{ key: 'backorder', rcu: CONSISTENT_READ, why: 'a consistent read, charged even when it finds nothing (assumed; DynamoDB Local reports 0)' }],
    },
    { what: "listUnits: the order's units (consistent)", perOrder: 1, source: 'functions/adapters/dynamo/order-store.ts listUnits', touches: [{ key: 'order', rcu: CONSISTENT_READ }] },
    {
      what: 'claim candidates from a random shard of the available index (a spare from an earlier read saves most)',
      source: 'functions/adapters/dynamo/claim-candidates.ts find',
      touches: [{ key: 'avail', rcu: EVENTUAL_READ, why: 'a GSI read is eventually consistent; 8 keys of a KEYS_ONLY index fit one 4 KB read' }],
    },
  ],
  'delivery|DynamoDB.TransactWriteItems': [
    {
      what: 'the claim: order not cancelled, unit created, code AVAILABLE → RESERVED (lost races included: AWS bills a cancelled transaction too)',
      source: 'functions/adapters/dynamo/claim-store.ts claimTransactionItems',
      touches: [
        { key: 'order', wcu: TRANSACT_WRITE, why: 'ConditionCheck on the order META' },
        { key: 'order', wcu: TRANSACT_WRITE, why: 'the unit Put' },
        { key: 'code', wcu: TRANSACT_WRITE, why: 'the code item update' },
        {
          key: 'avail',
          wcu: WRITE,
          why: "availPk/availSk removed: one delete in the code's index shard (not reported by DynamoDB Local; assumed an ordinary write, not doubled by the transaction)",
        },
      ],
    },
  ],
  'delivery|DynamoDB.GetItem': [
    { what: 'readCode: the code item, to send it (consistent)', source: 'functions/adapters/dynamo/stock-store.ts readCode', touches: [{ key: 'code', rcu: CONSISTENT_READ }] },
  ],
  'restock|DynamoDB.GetItem': [
    {
      what: 'per stream batch: the SKU config (eventually consistent) and its reorder status (consistent), one item',
      source: 'functions/adapters/dynamo/catalog-store.ts getSkuConfig, reorder-store.ts getReorderStatus',
      touches: [{ key: 'skuItems', rcu: (EVENTUAL_READ + CONSISTENT_READ) / 2, why: 'half of each (0.75 per request measured locally too)' }],
    },
  ],
  'restock|DynamoDB.Query': [
    {
      what: 'per stream batch: countAvailable, the bounded stock count over the index, walking from shard 0',
      source: 'functions/adapters/dynamo/stock-store.ts countAvailable',
      touches: [
        {
          key: 'avail',
          rcu: EVENTUAL_READ,
          firstShard: true,
          why: "stops at the threshold: about 20 keys fit one 4 KB read (0.49 per request measured locally); a SKU with a higher threshold reads more, all on shard 0",
        },
      ],
    },
  ],
  'write-back|DynamoDB.UpdateItem': [
    {
      what: "pacer reserve: a slot in the store's API budget, once per delivered order",
      perOrder: 1,
      source: 'functions/adapters/dynamo/store-pacer.ts reserve',
      touches: [{ key: 'pace', wcu: WRITE, why: 'a lost conditional round writes again (not counted)' }],
    },
    {
      what: 'write-back begin/finish on the order META (those that ran within the phase: the paced rest runs later, at the store API pace)',
      source: 'functions/adapters/dynamo/write-back-store.ts',
      touches: [{ key: 'order', wcu: WRITE }],
    },
  ],
  'write-back|DynamoDB.GetItem': [
    { what: 'store settings (cached per container)', source: 'functions/adapters/dynamo/catalog-store.ts getStoreSettings', touches: [{ key: 'store', rcu: EVENTUAL_READ }] },
  ],
};

/** Requests that are not DynamoDB table or index capacity (SQS, DynamoDB Streams reads). */
export const isTableRequest = (kind: string) => kind.split('|')[1]?.startsWith('DynamoDB.') ?? false;

export interface SiteCount {
  kind: string;
  site: CallSite;
  /** Requests per order this site makes, out of the measured count. */
  perOrder: number;
}

/**
 * Splits each measured count over its call sites: the fixed ones first (never more than was measured:
 * a request the run did not make is not invented), the rest to the open site.
 */
export function splitCounts(requestsPerOrder: Record<string, number>, map: Record<string, CallSite[]> = REQUEST_MAP): { sites: SiteCount[]; unmapped: string[] } {
  const sites: SiteCount[] = [];
  const unmapped: string[] = [];
  for (const [kind, measured] of Object.entries(requestsPerOrder)) {
    if (!isTableRequest(kind)) continue;
    const known = map[kind];
    if (!known) {
      unmapped.push(kind);
      continue;
    }
    let left = measured;
    for (const site of known.filter((s) => s.perOrder !== undefined)) {
      const count = Math.min(site.perOrder!, left);
      left -= count;
      sites.push({ kind, site, perOrder: count });
    }
    const open = known.find((s) => s.perOrder === undefined);
    if (open) sites.push({ kind, site: open, perOrder: Math.max(0, left) });
    // More than the code makes: said, rather than put on a key the model cannot know.
    else if (left > 1e-9) unmapped.push(`${kind} (${left} per order beyond its call sites)`);
  }
  return { sites, unmapped };
}
