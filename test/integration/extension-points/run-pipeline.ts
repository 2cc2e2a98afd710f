// Run by extension-points.test.ts inside its copy of the project, once the new modules are registered
// there: the local pipeline (on the test's engines), an order through the new platform delivered by the
// channel named by CHANNEL, then a SKU of the new supplier drained below its threshold. Writes what it
// saw to RESULT_FILE for the test to judge; it asserts nothing itself beyond bounded waits.
import { writeFileSync } from 'node:fs';
import { findModule } from '#adapters/module-kit';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import type { SupplierModule } from '#adapters/suppliers/supplier-module';
import type { CodeStatus, SkuConfig } from '#core/model';
import { demoCatalogue } from '#local/demo-data';
import type { RecordedMessage } from '#local/recorder';
import { seed } from '#local/seed';
import { eventually, startTestPipeline } from '#test/integration/helpers';

export interface PipelineProof {
  /** The demo catalogue's mapping of the platform's demo product (undefined: not derived). */
  demoMapping?: { storeId: string; productId: string; sku: string };
  /** Answers of POST /webhooks/<platform>. */
  webhooks: Array<{ status: number; outcome?: string }>;
  /** Outbox entries of the paid sample order, then of the draining order. */
  paidOrderMessages: RecordedMessage[];
  drainMessages: RecordedMessage[];
  /** The supplier fake's own counters (its `stats()`), after the reorder. */
  supplierStats?: unknown;
  /** Stock of the supplier's SKU after the reorder. */
  audit?: Record<CodeStatus, number>;
  drainedSku: SkuConfig;
  errors: Array<{ source: string; message: string }>;
  failure?: string;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const resultFile = env('RESULT_FILE');
  const platform = findModule(PLATFORMS as readonly PlatformModule[], 'platform', env('EXTENSION_PLATFORM'));
  const supplier = findModule(SUPPLIERS as readonly SupplierModule[], 'supplier', env('EXTENSION_SUPPLIER'));
  const platformLocal = await platform.local?.();
  const supplierLocal = await supplier.local?.();
  if (!platformLocal || !supplierLocal?.demoProducts.length) throw new Error('the new platform and supplier must bring local hooks');
  const { demo } = platformLocal;
  const [product] = supplierLocal.demoProducts;
  // Threshold 3 with 4 codes: the 2-unit order below leaves 2, so exactly one reorder of 5 follows.
  const drainedSku: SkuConfig = { sku: 'BULK-DEMO-10', name: 'Bulk demo 10', threshold: 3, reorderQuantity: 5, supplier: supplier.name, supplierProductId: product.productId, unitPrice: product.unitPrice };
  const proof: PipelineProof = { webhooks: [], paidOrderMessages: [], drainMessages: [], drainedSku, errors: [] };

  // The demo product is re-mapped mid-run: the webhook would keep its first mapping up to 30 s
  // (PRODUCT_MAP_CACHE_SECONDS), and the drain order below would go to the first SKU.
  const pipeline = await startTestPipeline({ channel: env('CHANNEL'), logLevel: 'WARN', metrics: false, reorderPollDelaySeconds: 1, env: { PRODUCT_MAP_CACHE_SECONDS: '0' } });
  proof.errors = pipeline.errors;
  try {
    const catalogue = await demoCatalogue();
    const mapping = catalogue.products.find((p) => p.storeId === demo.storeId && p.productId === demo.productId);
    if (mapping) proof.demoMapping = { storeId: mapping.storeId, productId: mapping.productId, sku: mapping.sku };
    await seed(pipeline.deps, catalogue);

    const post = async (orderId: string, quantity: number) => {
      const sample = platformLocal.sampleOrder(orderId, { quantity });
      const res = await fetch(`${pipeline.webhookUrl}/webhooks/${platform.name}`, { method: 'POST', headers: sample.headers, body: sample.raw });
      const body = (await res.json()) as { result?: { outcome?: string } };
      proof.webhooks.push({ status: res.status, outcome: body.result?.outcome });
    };
    const messagesOf = (orderId: string, count: number) =>
      pipeline.recorder
        .waitFor((all) => all.filter((m) => m.ref.startsWith(`${demo.storeId}/${orderId}/`)).length >= count, 30_000)
        .then((all) => all.filter((m) => m.ref.startsWith(`${demo.storeId}/${orderId}/`)));

    await post('910001', 1);
    proof.paidOrderMessages = await messagesOf('910001', 1);

    // What `cli sku set --supplier <new> …` and `cli product map` do: the demo product now sells the new supplier's SKU.
    await seed(pipeline.deps, { skus: [drainedSku], products: [{ storeId: demo.storeId, productId: demo.productId, sku: drainedSku.sku, multiplier: 1 }], stock: 4 });
    await post('910002', 2);
    proof.drainMessages = await messagesOf('910002', 2);
    proof.audit = await eventually(async () => {
      const audit = await pipeline.deps.stock.audit(drainedSku.sku);
      return audit.AVAILABLE === 2 + drainedSku.reorderQuantity && audit;
    }, 30_000, `the ${supplier.name} reorder's codes in stock`);
  } catch (err) {
    proof.failure = (err as Error).message;
  } finally {
    // Read even after a failed wait: whether the fake was called at all is the first question then.
    proof.supplierStats = (pipeline.suppliers[supplier.name] as unknown as { stats?: () => unknown }).stats?.();
    await pipeline.stop();
    writeFileSync(resultFile, JSON.stringify(proof, null, 2));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
