// Warms the order path of a fresh variant process before its measured burst: the first orders of a new
// process pay JIT, first-table and first-queue costs that would otherwise land on the burst and be
// read as restocking time. They buy a SKU of their own, stocked and with no supplier, so the warm-up
// never touches the measured SKU's stock, backorders or reorders.
import { DEMO_SALLA_SECRET, DEMO_SALLA_STORE, sallaSignatureHeaders } from '#adapters/platforms/salla/local';
import type { SkuConfig } from '#core/model';
import type { Pipeline } from '#local/pipeline';
import { sampleFixture } from '#local/sample-order';
import { seed } from '#local/seed';
import { sendAtRate, type PreparedOrder } from '../e2e/load-generator';
import { benchCustomer } from '../e2e/phase';

const WARM_UP_SKU: SkuConfig = { sku: 'BENCH-WARMUP', name: 'Warm-up SKU (no supplier)', threshold: 0, reorderQuantity: 0 };
/** A product id no demo catalogue uses, mapped to the warm-up SKU only. */
const WARM_UP_PRODUCT_ID = 990_000_001;
/** Far from the burst's ids (OrderFactory counts from 1,000,000). */
const FIRST_ORDER_ID = 9_000_000;
const WAVES = 2;
const TIMEOUT_MS = 60_000;

function warmUpOrders(count: number, firstId: number): PreparedOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const orderId = String(firstId + i);
    const body = sampleFixture('salla/order-created-paid-credit-card.json');
    body.data.id = Number(orderId);
    body.data.reference_id = Number(orderId) % 100_000_000;
    body.data.items[0].quantity = 1;
    body.data.items[0].product.id = WARM_UP_PRODUCT_ID;
    const customer = benchCustomer(Number(orderId));
    body.data.customer.mobile = customer.mobile;
    body.data.customer.email = customer.email;
    const raw = JSON.stringify(body);
    return { orderId, path: '/webhooks/salla', body: raw, headers: sallaSignatureHeaders(raw, DEMO_SALLA_SECRET) };
  });
}

/** Sends `count` warm-up orders in a few bursts, each waited for until every order has its code. */
export async function warmUp(pipeline: Pipeline, count: number, hasCode: (orderId: string) => boolean, burstRate: number): Promise<void> {
  if (count <= 0) return;
  await seed(pipeline.deps, { skus: [WARM_UP_SKU], products: [{ storeId: DEMO_SALLA_STORE, productId: String(WARM_UP_PRODUCT_ID), sku: WARM_UP_SKU.sku, multiplier: 1 }], stock: count });
  const perWave = Math.ceil(count / WAVES);
  for (let wave = 0; wave * perWave < count; wave++) {
    const orders = warmUpOrders(Math.min(perWave, count - wave * perWave), FIRST_ORDER_ID + wave * perWave);
    await sendAtRate(pipeline.webhookUrl, orders, burstRate);
    const deadline = Date.now() + TIMEOUT_MS;
    while (!orders.every((o) => hasCode(o.orderId))) {
      if (Date.now() > deadline) throw new Error(`Warm-up: ${orders.filter((o) => !hasCode(o.orderId)).length} order(s) got no code within ${TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
