// Shared by the EZ PIN tests: an EzpinSupplier wired to a running fake, and filters over what the
// adapter sent (recorded with helpers.ts's recordingFetch).
import { EzpinSupplier, type EzpinSupplierOptions } from '#adapters/suppliers/ezpin/ezpin-supplier';
import { referenceCodeFor } from '#adapters/suppliers/ezpin/ezpin-reference';
import { startFakeEzpin, type FakeEzpin, type FakeEzpinOptions } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import type { SupplierOrderRequest } from '#core/ports/supplier';
import type { Sent } from './helpers';

export const CLIENT = { clientId: 'test-client', secretKey: 'test-secret-value' };
/** $25 in the fake's catalog. */
export const PRODUCT = '1001';

export const startEzpin = (options: FakeEzpinOptions = {}): Promise<FakeEzpin> => startFakeEzpin({ ...CLIENT, ...options });

export function ezpinFor(fake: Pick<FakeEzpin, 'url'>, extra: Partial<EzpinSupplierOptions> = {}): EzpinSupplier {
  return new EzpinSupplier({ ...CLIENT, baseUrl: fake.url, timeoutMs: 2_000, ...extra });
}

export const order = (reference: string, quantity: number, extra: Partial<SupplierOrderRequest> = {}): SupplierOrderRequest => ({
  reference,
  productId: PRODUCT,
  quantity,
  unitPrice: 25,
  ...extra,
});

/** The reference code of sub-reference `<reference>:<n>`. */
export const ref = (subReference: string) => referenceCodeFor(subReference);

export const orderPosts = (sent: Sent[]) => sent.filter((s) => s.method === 'POST' && s.path.endsWith('/orders/'));

/** Reference codes looked up with GET /orders/{reference_code}/, in order. */
export const lookups = (sent: Sent[]) =>
  sent.flatMap((s) => {
    const match = s.method === 'GET' ? /\/orders\/([^/]+)\/$/.exec(s.path) : null;
    return match ? [match[1]] : [];
  });

export const cardReads = (sent: Sent[]) => sent.filter((s) => s.method === 'GET' && s.path.endsWith('/cards/'));

/** An answer a test puts in place of EZ PIN's. */
export const answer = (status: number, body: unknown) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
