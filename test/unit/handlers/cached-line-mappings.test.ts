// The webhook's product-map cache: one read per mapping per TTL, mappings not found read every time.
import type { LineMappings } from '#core/ports/catalog';
import type { ProductMapping } from '#core/model';
import { cachedLineMappings } from '#wiring/cached-line-mappings';

const mapping = (productId: string, sku: string, variant = false): ProductMapping => ({ storeId: 'S1', productId, sku, multiplier: 1, ...(variant && { variant }) });

function fakeStore(initial: ProductMapping[]) {
  const stored = new Map(initial.map((m) => [`${m.variant ? 'v' : 'p'}:${m.productId}`, m]));
  const reads: Array<{ products: string[]; variants: string[] }> = [];
  const read = async (_storeId: string, products: string[], variants: string[]): Promise<LineMappings> => {
    reads.push({ products, variants });
    const pick = (kind: string, ids: string[]) => new Map(ids.flatMap((id) => (stored.has(`${kind}:${id}`) ? [[id, stored.get(`${kind}:${id}`)!] as const] : [])));
    return { products: pick('p', products), variants: pick('v', variants) };
  };
  return { stored, reads, read };
}

describe('cachedLineMappings', () => {
  it('reads a mapping once per TTL, then again; only what is not fresh is read', async () => {
    let clock = 0;
    const store = fakeStore([mapping('P1', 'SKU-1'), mapping('P2', 'SKU-2'), mapping('V1', 'SKU-V', true)]);
    const lookup = cachedLineMappings(store.read, 30_000, () => clock);
    const first = await lookup('S1', ['P1'], ['V1']);
    expect([first.products.get('P1')?.sku, first.variants.get('V1')?.sku]).toEqual(['SKU-1', 'SKU-V']);
    await lookup('S1', ['P1', 'P2'], ['V1']);
    expect(store.reads).toEqual([{ products: ['P1'], variants: ['V1'] }, { products: ['P2'], variants: [] }]);
    clock = 29_999;
    await lookup('S1', ['P1', 'P2'], ['V1']);
    expect(store.reads).toHaveLength(2);
    // A changed mapping takes effect when its entry is older than the TTL.
    store.stored.set('p:P1', mapping('P1', 'SKU-NEW'));
    clock = 30_000;
    expect((await lookup('S1', ['P1'], [])).products.get('P1')?.sku).toBe('SKU-NEW');
  });

  it('a product not mapped is read again at every order: a mapping added now is found at once', async () => {
    const store = fakeStore([]);
    const lookup = cachedLineMappings(store.read, 30_000, () => 0);
    expect((await lookup('S1', ['P9'], [])).products.size).toBe(0);
    store.stored.set('p:P9', mapping('P9', 'SKU-9'));
    expect((await lookup('S1', ['P9'], [])).products.get('P9')?.sku).toBe('SKU-9');
    expect(store.reads).toHaveLength(2);
  });

  it('keeps stores apart, and with a TTL of 0 reads every time', async () => {
    const store = fakeStore([mapping('P1', 'SKU-1')]);
    const lookup = cachedLineMappings(store.read, 30_000, () => 0);
    await lookup('S1', ['P1'], []);
    await lookup('S2', ['P1'], []);
    expect(store.reads).toHaveLength(2);
    const uncached = cachedLineMappings(store.read, 0);
    await uncached('S1', ['P1'], []);
    await uncached('S1', ['P1'], []);
    expect(store.reads).toHaveLength(4);
  });
});
