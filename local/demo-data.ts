// Demo catalogue for `npm start` and the integration tests: two gift-card SKUs, bought from the first
// registered supplier that has a fake (the others as fallbacks), and mapped from each platform's demo product. Nothing here
// names a platform or a supplier: their local hooks say what they bring.
import { randomBytes } from 'node:crypto';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import type { SupplierModule } from '#adapters/suppliers/supplier-module';
import type { CodeMaterial, ProductMapping, SkuConfig } from '#core/model';

const DEMO_SKU_NAMES = [
  { sku: 'ITUNES-SA-50', name: 'iTunes 50 SAR' },
  { sku: 'PSN-SA-100', name: 'PlayStation Store 100 SAR' },
];

export interface DemoCatalogue {
  skus: SkuConfig[];
  products: ProductMapping[];
}

export async function demoCatalogue(): Promise<DemoCatalogue> {
  // Bought from the first registered supplier with a fake, failing over to the others in registry order.
  const suppliers: Array<{ name: string; products: ReadonlyArray<{ productId: string; unitPrice: number }> }> = [];
  for (const module of SUPPLIERS as readonly SupplierModule[]) {
    const local = await module.local?.();
    if (local?.demoProducts.length) suppliers.push({ name: module.name, products: local.demoProducts });
  }
  const skus = DEMO_SKU_NAMES.map(({ sku, name }, i): SkuConfig => {
    const [first, ...others] = suppliers.map((s) => ({ supplier: s.name, ...s.products[i % s.products.length] }));
    return {
      sku,
      name,
      threshold: 5,
      reorderQuantity: 20,
      ...(first ? { supplier: first.supplier, supplierProductId: first.productId, unitPrice: first.unitPrice } : {}),
      ...(others.length ? { alternates: others } : {}),
    };
  });
  const products: ProductMapping[] = [];
  for (const [i, module] of (PLATFORMS as readonly PlatformModule[]).entries()) {
    const demo = (await module.local?.())?.demo;
    if (demo) products.push({ storeId: demo.storeId, productId: demo.productId, sku: skus[i % skus.length].sku, multiplier: 1 });
  }
  return { skus, products };
}

/** Codes that look like gift card codes: 4 groups of 4 characters, plus a PIN. */
export function demoCodes(count: number, prefix = 'DEMO'): CodeMaterial[] {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const group = () => Array.from(randomBytes(4), (b) => alphabet[b % alphabet.length]).join('');
  return Array.from({ length: count }, () => ({
    code: `${prefix}-${group()}-${group()}-${group()}`,
    pin: String(1000 + (randomBytes(2).readUInt16BE() % 9000)),
    format: 'text' as const,
  }));
}
