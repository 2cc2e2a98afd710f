// Seeds a pipeline with the demo catalogue: SKU settings, product map and some stock.
import type { CoreDeps } from '#core/deps';
import type { ProductMapping, SkuConfig } from '#core/model';
import { demoCatalogue, demoCodes } from './demo-data';

export interface SeedOptions {
  skus?: SkuConfig[];
  products?: ProductMapping[];
  /** Codes per SKU. */
  stock?: number | Record<string, number>;
}

export async function seed(deps: Pick<CoreDeps, 'catalog' | 'stock'>, options: SeedOptions = {}): Promise<Record<string, number>> {
  const demo = options.skus && options.products ? undefined : await demoCatalogue();
  const skus = options.skus ?? demo!.skus;
  for (const config of skus) await deps.catalog.putSkuConfig(config);
  for (const mapping of options.products ?? demo!.products) await deps.catalog.putProductMapping(mapping);
  const stocked: Record<string, number> = {};
  for (const { sku } of skus) {
    const count = typeof options.stock === 'number' ? options.stock : (options.stock?.[sku] ?? 12);
    stocked[sku] = (await deps.stock.addCodes(sku, demoCodes(count), 'seed')).inserted;
  }
  return stocked;
}
