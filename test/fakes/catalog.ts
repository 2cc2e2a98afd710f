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
    return (await this.getLineMappings(storeId, productIds, [])).products;
  }
  async getLineMappings(storeId: string, productIds: string[], variantIds: string[]) {
    this.lookups.push([...productIds, ...variantIds.map((id) => `variant:${id}`)]);
    const pick = (ids: string[], kind: string) => {
      const found = new Map<string, ProductMapping>();
      for (const id of ids) {
        const m = this.mappings.get(`${storeId}/${kind}${id}`);
        if (m) found.set(id, m);
      }
      return found;
    };
    return { products: pick(productIds, ''), variants: pick(variantIds, 'variant:') };
  }
  async putProductMapping(mapping: ProductMapping) {
    this.mappings.set(`${mapping.storeId}/${mapping.variant ? 'variant:' : ''}${mapping.productId}`, mapping);
  }
  async deleteProductMapping(ref: Pick<ProductMapping, 'storeId' | 'productId' | 'variant'>) {
    return this.mappings.delete(`${ref.storeId}/${ref.variant ? 'variant:' : ''}${ref.productId}`);
  }
  async getStoreSettings(storeId: string) {
    const found = this.stores.get(storeId);
    return found && { ...found };
  }
  async putStoreSettings(settings: StoreSettings) {
    this.stores.set(settings.storeId, { ...settings });
  }
}
