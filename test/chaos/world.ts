// What a chaos scenario works with: the running pipeline, the fault injector, and helpers that place
// orders the way a store does (signed Salla webhooks, each copy a separate delivery) or, to get past
// the webhook's deduplication on purpose, straight onto the orders queue.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { DEMO_SALLA_SECRET, DEMO_SALLA_STORE, sallaSignatureHeaders } from '#adapters/platforms/salla/local';
import type { CodeMaterial, OrderMessage } from '#core/model';
import type { MerchantAlert } from '#core/ports/alerts';
import { demoCodes } from '#local/demo-data';
import type { Pipeline } from '#local/pipeline';
import { sampleFixture } from '#local/sample-order';
import type { FaultInjector } from './faults';

export const STORE = DEMO_SALLA_STORE;
/** Salla retries a failed delivery 3 times. */
const PLATFORM_RETRIES = 3;

/** What the scenario says a paid order must end as. */
export type Expectation = 'DELIVERED' | 'HELD' | 'BACKORDERED_OR_DELIVERED';

export interface PlacedOrder {
  storeId: string;
  orderId: string;
  units: number;
  expect: Expectation;
}

export interface OrderSpec {
  orderId: string;
  productId: string;
  quantity: number;
  /** Customer mobile as Salla sends it (a number without country code); an implausible one makes a NO_CONTACT order. */
  mobile?: number;
  /** Extra lines of the same product (an order with many lines). */
  extraLines?: number;
  /** Item name override (long names make a big body). */
  itemName?: string;
  expect?: Expectation;
}

export class World {
  readonly orders: PlacedOrder[] = [];
  readonly skus = new Set<string>();
  readonly alerts: MerchantAlert[] = [];
  readonly webhookStatuses: Record<number, number> = {};
  /** When the last fault stopped: recovery time counts from here. */
  faultsEndedAt?: number;
  /** When the scenario saw everything settled, if it checked before doing more (later retries, say). */
  recoveredAt?: number;
  private mobileSeq = 0;
  private otherFaults = 0;

  constructor(
    readonly pipeline: Pipeline,
    readonly faults: FaultInjector,
  ) {}

  /** A SKU with `stock` codes, mapped from Salla product `productId`; the codes are returned (the scenario may re-use them). */
  async sku(sku: string, productId: string, options: { stock: number; threshold?: number; reorderQuantity?: number; supplier?: { name: string; productId: string; unitPrice: number } }): Promise<CodeMaterial[]> {
    const { catalog, stock } = this.pipeline.deps;
    await catalog.putSkuConfig({
      sku,
      threshold: options.threshold ?? 0,
      reorderQuantity: options.reorderQuantity ?? 0,
      ...(options.supplier && { supplier: options.supplier.name, supplierProductId: options.supplier.productId }),
      // A 50 SAR card: below the payment check's threshold (the scenarios are about faults, not forged orders).
      unitPrice: options.supplier?.unitPrice ?? 50,
    });
    await catalog.putProductMapping({ storeId: STORE, productId, sku, multiplier: 1 });
    const codes = demoCodes(options.stock, sku.replace(/[^A-Z0-9]/gi, '').slice(0, 8).toUpperCase());
    if (codes.length > 0) await stock.addCodes(sku, codes, 'chaos-seed');
    this.skus.add(sku);
    return codes;
  }

  /** A fresh plausible Saudi mobile number per order (as Salla sends it: no country code). */
  nextMobile(): number {
    return 550_000_000 + ++this.mobileSeq;
  }

  /** The signed body of a paid Salla order.created. */
  webhookBody(spec: OrderSpec): string {
    const body = sampleFixture('salla/order-created-paid-credit-card.json');
    body.data.id = Number(spec.orderId);
    body.data.reference_id = Number(spec.orderId) % 100_000_000;
    body.data.customer.mobile = spec.mobile ?? this.nextMobile();
    delete body.data.customer.email;
    const item = body.data.items[0];
    item.product.id = Number(spec.productId);
    item.quantity = spec.quantity;
    if (spec.itemName) item.name = spec.itemName;
    body.data.items = [item, ...Array.from({ length: spec.extraLines ?? 0 }, (_, i) => ({ ...item, id: item.id + i + 1, quantity: 1 }))];
    return JSON.stringify(body);
  }

  /** Posts `copies` identical signed deliveries of the order at once (a platform's retries, or a storm). */
  async webhookOrder(spec: OrderSpec, copies = 1): Promise<number[]> {
    const raw = this.webhookBody(spec);
    this.track(spec);
    return Promise.all(Array.from({ length: copies }, () => this.post(raw)));
  }

  /** Posts the same delivery again (a platform retry minutes later): never a new order. */
  async redeliver(spec: OrderSpec, copies = 1): Promise<number[]> {
    const raw = this.webhookBody(spec);
    return Promise.all(Array.from({ length: copies }, () => this.post(raw)));
  }

  /** One delivery, retried on 429/5xx a few times as the platforms do (their retries are minutes apart; here 1 s). */
  private async post(raw: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.pipeline.webhookUrl}/webhooks/salla`, { method: 'POST', headers: sallaSignatureHeaders(raw, DEMO_SALLA_SECRET), body: raw });
      await res.arrayBuffer();
      this.webhookStatuses[res.status] = (this.webhookStatuses[res.status] ?? 0) + 1;
      if ((res.status !== 429 && res.status < 500) || attempt === PLATFORM_RETRIES + 1) return res.status;
      await pause(1000);
    }
  }

  /** Counts faults a scenario injects by hand (an outage, a slow period). */
  countFault(n = 1): void {
    this.otherFaults += n;
  }

  /** Faults counted outside the SDK injector: channel refusals, supplier failures, the scenario's own. */
  extraFaults(): number {
    const supplierFailures = Object.values(this.pipeline.suppliers).reduce((sum, fake) => sum + (((fake as { stats?: () => { injectedFailures?: number } }).stats?.().injectedFailures) ?? 0), 0);
    return this.pipeline.recorder.refused + supplierFailures + this.otherFaults;
  }

  private track(spec: OrderSpec): void {
    if (this.orders.some((o) => o.orderId === spec.orderId)) return;
    this.orders.push({ storeId: STORE, orderId: spec.orderId, units: spec.quantity + (spec.extraLines ?? 0), expect: spec.expect ?? 'DELIVERED' });
  }

  /** Puts `copies` of the order message straight on the queue: duplicates the edge never saw, for the send lease to sort out. */
  async queueOrder(spec: OrderSpec & { sku: string }, copies = 1): Promise<void> {
    this.track(spec);
    const message: OrderMessage = {
      kind: 'ORDER',
      platform: 'salla',
      storeId: STORE,
      orderId: spec.orderId,
      locale: 'ar',
      customer: { phone: `+966${spec.mobile ?? this.nextMobile()}` },
      lines: [{ lineId: 'L1', productId: spec.productId, sku: spec.sku, quantity: spec.quantity }],
      receivedAt: new Date().toISOString(),
    };
    const bodies = Array.from({ length: copies }, () => JSON.stringify(message));
    for (let i = 0; i < bodies.length; i += 10) {
      await this.pipeline.clients.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.pipeline.resources.ordersQueueUrl, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }),
      );
    }
  }

  /** Ends every injected fault: from now on the pipeline must recover by itself. */
  endFaults(): void {
    this.faults.stop();
    this.faultsEndedAt = Date.now();
  }

  /** Alerts published so far (the local alerts topic feeds a queue). */
  async collectAlerts(): Promise<MerchantAlert[]> {
    const { sqs } = this.pipeline.clients;
    const QueueUrl = this.pipeline.resources.alertsInboxUrl;
    for (;;) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!res.Messages?.length) return this.alerts;
      this.alerts.push(...res.Messages.map((m) => JSON.parse(m.Body ?? '{}') as MerchantAlert));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: res.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
