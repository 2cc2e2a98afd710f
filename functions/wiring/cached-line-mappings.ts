// The webhook's product map, kept in the container for a short time: a flash sale sends every order of
// one product through the same few webhook containers, and each would otherwise read the same mapping.
// Only mappings found are kept: a product the merchant maps just now is found at its next order, while a
// changed or removed mapping takes effect within `ttlMs`.
import type { CatalogStore, LineMappings } from '#core/ports/catalog';
import type { ProductMapping } from '#core/model';

type ReadMappings = CatalogStore['getLineMappings'];

/** Entries kept at most; past it the cache starts over (a deployment has far fewer products). */
const MAX_ENTRIES = 10_000;

export function cachedLineMappings(read: ReadMappings, ttlMs: number, now: () => number = Date.now): ReadMappings {
  if (ttlMs <= 0) return read;
  const cache = new Map<string, { mapping: ProductMapping; readAt: number }>();
  const keyOf = (storeId: string, kind: 'product' | 'variant', id: string) => `${storeId}\u0000${kind}\u0000${id}`;
  return async (storeId, productIds, variantIds) => {
    const at = now();
    const result: LineMappings = { products: new Map(), variants: new Map() };
    const fresh = (kind: 'product' | 'variant', id: string) => {
      const hit = cache.get(keyOf(storeId, kind, id));
      if (!hit || at - hit.readAt >= ttlMs) return false;
      (kind === 'product' ? result.products : result.variants).set(id, hit.mapping);
      return true;
    };
    const missingProducts = [...new Set(productIds)].filter((id) => !fresh('product', id));
    const missingVariants = [...new Set(variantIds)].filter((id) => !fresh('variant', id));
    if (missingProducts.length === 0 && missingVariants.length === 0) return result;
    const read_ = await read(storeId, missingProducts, missingVariants);
    if (cache.size > MAX_ENTRIES) cache.clear();
    for (const [kind, found, into] of [['product', read_.products, result.products], ['variant', read_.variants, result.variants]] as const) {
      for (const [id, mapping] of found) {
        cache.set(keyOf(storeId, kind, id), { mapping, readAt: at });
        into.set(id, mapping);
      }
    }
    return result;
  };
}
