// The single table's key schema, shared by the CDK stack and the local provisioning so they cannot drift.

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Sparse index of AVAILABLE codes only. Partition `AVAIL#<sku>#<shard>` spreads one SKU over
 * AVAILABLE_SHARDS partitions; the sort key is random so concurrent claimers start at different codes.
 */
export const AVAILABLE_INDEX = { name: 'available', partitionKey: 'availPk', sortKey: 'availSk' } as const;

/** Sparse index listing SKU configs (kind = SKU), for the periodic backorder sweep. */
export const KIND_INDEX = { name: 'kind', partitionKey: 'kind', sortKey: 'pk' } as const;

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;
