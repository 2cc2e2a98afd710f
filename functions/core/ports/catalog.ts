// Persistence port: SKU settings and the platform product → SKU map.
import type { ProductMapping, SkuConfig, StoreSettings } from '../model';

export interface CatalogStore {
  getSkuConfig(sku: string): Promise<SkuConfig | undefined>;
  putSkuConfig(config: SkuConfig): Promise<void>;
  listSkus(): Promise<string[]>;
  /** Mappings for the given products of a store; missing products are absent from the map. */
  getProductMappings(storeId: string, productIds: string[]): Promise<Map<string, ProductMapping>>;
  putProductMapping(mapping: ProductMapping): Promise<void>;
  getStoreSettings(storeId: string): Promise<StoreSettings | undefined>;
  putStoreSettings(settings: StoreSettings): Promise<void>;
}
