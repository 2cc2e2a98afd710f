// In-memory CatalogStore; `lookups` records every product-map read.
import type { ProductMapping, SkuConfig, StoreSettings } from '#core/model';
import type { CatalogStore } from '#core/ports/catalog';

export class FakeCatalog implements CatalogStore {
  readonly configs = new Map<string, SkuConfig>();
  readonly mappings = new Map<string, ProductMapping>();
  readonly lookups: string[][] = [];
  readonly stores = new Map<string, StoreSettings>();

  async getSkuConfig(sku: string) {
    return this.configs.get(sku);
  }
  async putSkuConfig(config: SkuConfig) {
    this.configs.set(config.sku, config);
  }
  async listSkus() {
    return [...this.configs.keys()];
  }
  async getProductMappings(storeId: string, productIds: string[]) {
    this.lookups.push(productIds);
    const found = new Map<string, ProductMapping>();
    for (const id of productIds) {
      const m = this.mappings.get(`${storeId}/${id}`);
      if (m) found.set(id, m);
    }
    return found;
  }
  async putProductMapping(mapping: ProductMapping) {
    this.mappings.set(`${mapping.storeId}/${mapping.productId}`, mapping);
  }
  async getStoreSettings(storeId: string) {
    const found = this.stores.get(storeId);
    return found && { ...found };
  }
  async putStoreSettings(settings: StoreSettings) {
    this.stores.set(settings.storeId, { ...settings });
  }
}
