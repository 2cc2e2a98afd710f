// Persistence port: SKU settings and the platform product → SKU map.
import type { ProductMapping, SkuConfig, StoreSettings } from '../model';

export interface LineMappings {
  products: Map<string, ProductMapping>;
  variants: Map<string, ProductMapping>;
}

export interface CatalogStore {
  getSkuConfig(sku: string): Promise<SkuConfig | undefined>;
  putSkuConfig(config: SkuConfig): Promise<void>;
  listSkus(): Promise<string[]>;
  /** Product mappings (not variants) for the given products of a store; missing products are absent from the map. */
  getProductMappings(storeId: string, productIds: string[]): Promise<Map<string, ProductMapping>>;
  /** Mappings of an order's lines in one read: products by product id, variants by variant id (distinct keys). */
  getLineMappings(storeId: string, productIds: string[], variantIds: string[]): Promise<LineMappings>;
  /** Creates or replaces a product mapping, or a variant mapping (`variant: true`). */
  putProductMapping(mapping: ProductMapping): Promise<void>;
  /** Removes a product (or, with `variant`, a variant) mapping; false when there was none. */
  deleteProductMapping(ref: Pick<ProductMapping, 'storeId' | 'productId' | 'variant'>): Promise<boolean>;
  getStoreSettings(storeId: string): Promise<StoreSettings | undefined>;
  putStoreSettings(settings: StoreSettings): Promise<void>;
}
