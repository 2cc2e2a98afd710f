// In-memory StockStore: codes keyed by their (trimmed) value, as the HMAC id and the CODEID# guard key them.
import type { CodeMaterial, CodeStatus } from '#core/model';
import type { CodeRef, StockStore } from '#core/ports/stock';
import type { World } from './world';

export class FakeStockStore implements StockStore {
  constructor(private readonly world: World) {}

  /** Test setup: codes whose value is their id (the fake needs no cipher). */
  seedCodes(sku: string, ...values: string[]): void {
    for (const code of values) this.world.codes.set(code, { sku, material: { code, pin: `pin-of-${code}` }, status: 'AVAILABLE' });
  }

  async readCode({ sku, codeId }: CodeRef): Promise<CodeMaterial> {
    const code = this.world.codes.get(codeId);
    if (!code || code.sku !== sku) throw new Error(`Code ${codeId} of SKU ${sku} not found`);
    return { ...code.material };
  }

  async countAvailable(sku: string, atMost: number): Promise<number> {
    return Math.min(atMost, [...this.world.codes.values()].filter((c) => c.sku === sku && c.status === 'AVAILABLE').length);
  }

  async addCodes(sku: string, codes: CodeMaterial[]): Promise<{ inserted: number; duplicates: number }> {
    let inserted = 0;
    for (const material of codes) {
      const id = material.code.trim();
      if (this.world.codes.has(id)) continue;
      this.world.codes.set(id, { sku, material, status: 'AVAILABLE' });
      inserted++;
    }
    return { inserted, duplicates: codes.length - inserted };
  }

  async audit(sku: string): Promise<Record<CodeStatus, number>> {
    const counts = { AVAILABLE: 0, RESERVED: 0, DELIVERED: 0, REVOKED: 0 };
    for (const c of this.world.codes.values()) if (c.sku === sku) counts[c.status]++;
    return counts;
  }
}
