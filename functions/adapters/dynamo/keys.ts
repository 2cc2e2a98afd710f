// Key layout of the single table (docs/architecture.md, "Data model"). Builders only; no I/O.

export const skuPk = (sku: string) => `SKU#${sku}`;
export const codeSk = (codeId: string) => `CODE#${codeId}`;
/**
 * Code items are spread over this many partitions per SKU: a flash sale on one SKU writes every claim
 * to its code items, and one partition takes 1,000 write units/s (the scale model in docs/benchmarks.md).
 */
export const CODE_SHARDS = 16;
export const codesPk = (sku: string, shard: number) => `CODES#${sku}#${shard}`;
/** The code items' shard, from its id (other digits than the index shard's, so the two spread independently). */
export const codeShardOf = (codeId: string) => parseInt(codeId.slice(4, 8), 16) % CODE_SHARDS;
/** Every partition that may hold a SKU's codes: where codes were kept before sharding, then each shard. */
export const codePartitions = (sku: string) => [skuPk(sku), ...Array.from({ length: CODE_SHARDS }, (_, shard) => codesPk(sku, shard))];
/** One item per code value across all SKUs: the same code imported for two SKUs is refused. */
export const codeGuardPk = (codeId: string) => `CODEID#${codeId}`;
export const CODE_GUARD_SK = 'GUARD';
export const CONFIG_SK = 'CONFIG';
export const FILL_LEASE_SK = 'LEASE#FILL';
export const reorderSk = (reorderId: string) => `REORDER#${reorderId}`;
export const availPk = (sku: string, shard: number) => `AVAIL#${sku}#${shard}`;

export const orderPk = (storeId: string, orderId: string) => `ORDER#${storeId}#${orderId}`;
export const ORDER_META_SK = 'META';
export const UNIT_PREFIX = 'UNIT#';
export const unitSk = (unitId: string) => `${UNIT_PREFIX}${unitId}`;

export const backorderPk = (sku: string) => `BACKORDER#${sku}`;
/** Sorts oldest paid first: receivedAt is ISO 8601 UTC, so lexical order is time order. */
export const backorderSk = (receivedAt: string, storeId: string, orderId: string, unit: string) =>
  `${receivedAt}#${storeId}#${orderId}#${unit}`;

export const storePk = (storeId: string) => `STORE#${storeId}`;
export const productSk = (productId: string) => `PRODUCT#${productId}`;
export const variantSk = (variantId: string) => `VARIANT#${variantId}`;
/** A store's own delivery settings (its channel chain), beside its product map. */
export const STORE_SETTINGS_SK = 'SETTINGS';

/** Which shard of the available index a code lives in: derived from its (random-looking) HMAC id. */
export const shardOf = (codeId: string, shards: number) => parseInt(codeId.slice(0, 4), 16) % shards;

/** One marker per webhook delivery (its id is a hash of platform, store and body): the edge dedupe. */
export const deliveryPk = (deliveryId: string) => `DELIVERY#${deliveryId}`;
export const DELIVERY_SK = 'DELIVERY';

/** A customer's velocity counter for one SKU and window, under a hash of their phone or e-mail. */
export const velocityPk = (identityHash: string) => `VELOCITY#${identityHash}`;
export const velocitySk = (sku: string, windowStart: number) => `${sku}#${windowStart}`;

/** What was last seen of a supplier (balance, last error) and its alert claims. */
export const supplierPk = (supplier: string) => `SUPPLIER#${supplier}`;
export const SUPPLIER_HEALTH_SK = 'HEALTH';

/** A reveal link's grant, found by the SHA-256 of its token (the token itself is never stored). */
export const revealPk = (digest: string) => `REVEAL#${digest}`;
export const REVEAL_GRANT_SK = 'GRANT';

/** A store's request budget towards its platform's API (the write-back pacer's bucket). */
export const pacePk = (platform: string, storeId: string) => `PACE#${platform}#${storeId}`;
export const PACE_SK = 'PACE';

/** A store's OAuth refresh lock for one platform (beside its product map): one refresher per merchant. */
export const tokenLockSk = (platform: string) => `TOKEN_LOCK#${platform}`;
