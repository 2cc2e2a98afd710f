// Demo catalogue for `npm start` and the integration tests: stores, secrets, product map, stock.
import { randomBytes } from 'node:crypto';
import type { CodeMaterial, ProductMapping, SkuConfig } from '#core/model';

export const DEMO_SALLA_STORE = '1305146709';
export const DEMO_SALLA_SECRET = 'demo-salla-webhook-secret';
export const DEMO_ZID_STORE = '80123';
export const DEMO_ZID_CREDENTIALS = { username: 'streamsync-demo', password: 'demo-zid-webhook-password' };

/** Products in the fixtures under test/fixtures: Salla 720881993, Zid 23edd6a6-…. */
export const DEMO_PRODUCTS: ProductMapping[] = [
  { storeId: DEMO_SALLA_STORE, productId: '720881993', sku: 'ITUNES-SA-50', multiplier: 1 },
  { storeId: DEMO_ZID_STORE, productId: '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a', sku: 'PSN-SA-100', multiplier: 1 },
];

export const DEMO_SKUS: SkuConfig[] = [
  { sku: 'ITUNES-SA-50', name: 'iTunes 50 SAR', threshold: 5, reorderQuantity: 20, supplier: 'reloadly', supplierProductId: '3001', unitPrice: 50 },
  { sku: 'PSN-SA-100', name: 'PlayStation Store 100 SAR', threshold: 5, reorderQuantity: 20, supplier: 'reloadly', supplierProductId: '3002', unitPrice: 100 },
];

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
