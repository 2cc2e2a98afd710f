// The shape of the stateful resources (table keys, indexes, queue redrive), shared by the CDK stack and
// the local provisioning so they cannot drift.

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Sparse index of AVAILABLE codes only. Partition `AVAIL#<sku>#<shard>` spreads one SKU over
 * AVAILABLE_SHARDS partitions; the sort key is random so concurrent claimers start at different codes.
 */
export const AVAILABLE_INDEX = { name: 'available', partitionKey: 'availPk', sortKey: 'availSk', projection: 'KEYS_ONLY' } as const;

/** Sparse index listing SKU configs (kind = SKU), for the periodic backorder sweep. */
export const KIND_INDEX = { name: 'kind', partitionKey: 'kind', sortKey: 'pk', projection: 'ALL' } as const;

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

/** Epoch seconds after which DynamoDB deletes an item (the webhook's delivery markers). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** A message that fails this many receives moves to its DLQ, where an alarm fires. */
export const MAX_RECEIVE_COUNT = 5;
/** Longest SQS retention: a DLQ keeps a message 14 days after its original enqueue time. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;
