// Tiny in-memory implementations of the core's ports, with the same conditional semantics as the
// DynamoDB adapters (a unit moves only from the state the real condition expects, and nothing is
// reserved, queued or committed for an order whose META item has `cancelledAt`). No SDK, no mocks.
// Where a real transaction has several conditions, the outcome is decided in the same order as the
// adapter reads its cancellation reasons (the order check, item 0, first).
import type { CoreDeps, CoreLogger } from '#core/deps';
import { backorderSk } from '#adapters/dynamo/keys';
import type { CodeMaterial, CodeStatus, OrderMessage, ProductMapping, SkuConfig } from '#core/model';
import type { AlertPublisher, Clock, CustomerMessage, DeliveryChannel, MerchantAlert, Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports';
import type {
  ActiveReorder,
  BackorderEntry,
  CatalogStore,
  ClaimOutcome,
  InventoryStore,
  LeaseStore,
  NewOrder,
  OrderQueue,
  OrderRecord,
  OrderStore,
  OrderUnit,
  ReorderPollMessage,
  ReorderPollQueue,
  ReorderState,
  ReorderStore,
  UnitRef,
} from '#core/store-ports';

export const T0 = '2025-03-01T10:00:00.000Z';

export class FakeClock implements Clock {
  private ms: number;
  constructor(iso = T0) {
    this.ms = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const unitKey = (ref: UnitRef) => `${ref.storeId}/${ref.orderId}/${ref.unitId}`;
type NewUnit = Omit<OrderUnit, 'state' | 'codeId'>;

/** Orders, units, codes and backorders in one place, shared by the order and inventory fakes. */
export class World {
  readonly orders = new Map<string, OrderRecord>();
  readonly units = new Map<string, OrderUnit>();
  readonly codes = new Map<string, { sku: string; material: CodeMaterial; status: CodeStatus; unit?: string }>();
  /** Keyed `<sku>|<position>`; positions sort oldest first like the real sort key. */
  readonly backorders = new Map<string, BackorderEntry>();

  unit(storeId: string, orderId: string, unitId: string): OrderUnit | undefined {
    return this.units.get(unitKey({ storeId, orderId, unitId }));
  }
}

export class FakeOrderStore implements OrderStore {
  constructor(private readonly world: World) {}

  async ensureOrder(order: NewOrder): Promise<OrderRecord> {
    const key = `${order.storeId}/${order.orderId}`;
    const existing = this.world.orders.get(key);
    const record: OrderRecord = {
      ...existing,
      platform: order.platform,
      storeId: order.storeId,
      orderId: order.orderId,
      reference: existing?.reference ?? order.reference ?? order.orderId,
      locale: existing?.locale ?? order.locale,
      customer: existing?.customer ?? order.customer,
      receivedAt: existing?.receivedAt ?? order.receivedAt,
    };
    this.world.orders.set(key, record);
    return { ...record };
  }

  async getOrder(storeId: string, orderId: string): Promise<OrderRecord | undefined> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    return order && { ...order };
  }

  async getUnit(ref: UnitRef): Promise<OrderUnit | undefined> {
    const unit = this.world.units.get(unitKey(ref));
    return unit && { ...unit };
  }

  async listUnits(storeId: string, orderId: string): Promise<OrderUnit[]> {
    return [...this.world.units.values()]
      .filter((u) => u.storeId === storeId && u.orderId === orderId)
      .sort((a, b) => a.unitId.localeCompare(b.unitId))
      .map((u) => ({ ...u }));
  }

  async putCancelledUnit(unit: Omit<OrderUnit, 'state'>): Promise<boolean> {
    if (this.world.units.has(unitKey(unit))) return false;
    this.world.units.set(unitKey(unit), { ...unit, state: 'CANCELLED' });
    return true;
  }

  async markOrderCancelled(input: { platform: 'salla' | 'zid'; storeId: string; orderId: string; reason: string; at: string }): Promise<void> {
    const key = `${input.storeId}/${input.orderId}`;
    const existing = this.world.orders.get(key);
    this.world.orders.set(key, {
      locale: 'en',
      customer: {},
      receivedAt: input.at,
      ...existing,
      platform: existing?.platform ?? input.platform,
      storeId: input.storeId,
      orderId: input.orderId,
      cancelledAt: existing?.cancelledAt ?? input.at,
      cancelReason: input.reason,
    });
  }

  async claimBackorderNotice(storeId: string, orderId: string, at: string): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (!order || order.backorderNotifiedAt) return false;
    order.backorderNotifiedAt = at;
    return true;
  }

  async releaseBackorderNotice(storeId: string, orderId: string): Promise<void> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (order) delete order.backorderNotifiedAt;
  }

  /** `attribute_not_exists(deliveredBeforeCancel)`: only the first cancel records (and alerts). */
  async flagDeliveredBeforeCancel(storeId: string, orderId: string, unitIds: string[]): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (order?.deliveredBeforeCancel) return false;
    if (order) order.deliveredBeforeCancel = [...unitIds];
    return true;
  }
}

export class FakeInventory implements InventoryStore {
  /** Test hook: the next markDelivered throws after its code write, as a crash between the two writes would. */
  failMarkDeliveredAfterCode = false;

  constructor(private readonly world: World, private readonly clock: Clock = new FakeClock()) {}

  /** Test setup: codes whose value is their id (the fake needs no cipher). */
  seedCodes(sku: string, ...values: string[]): void {
    for (const code of values) this.world.codes.set(code, { sku, material: { code, pin: `pin-of-${code}` }, status: 'AVAILABLE' });
  }

  private entryKey(sku: string, position: string) {
    return `${sku}|${position}`;
  }

  /** The ConditionCheck `attribute_not_exists(cancelledAt)` on the order META item (a missing item passes). */
  private orderCancelled(ref: { storeId: string; orderId: string }): boolean {
    return this.world.orders.get(`${ref.storeId}/${ref.orderId}`)?.cancelledAt !== undefined;
  }

  /**
   * Candidates come from the available index first (none → OUT_OF_STOCK), then one transaction:
   * [order not cancelled, code AVAILABLE → RESERVED, unit write]. NEW puts the unit (attribute_not_exists)
   * committed to sending; BACKORDERED updates a BACKORDERED unit and leaves its FIFO entry alone.
   */
  async claim(unit: NewUnit, mode: 'NEW' | 'BACKORDERED'): Promise<ClaimOutcome> {
    const candidate = [...this.world.codes.entries()].find(([, c]) => c.sku === unit.sku && c.status === 'AVAILABLE');
    if (!candidate) return { result: 'OUT_OF_STOCK' };
    if (this.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    const existing = this.world.units.get(unitKey(unit));
    if (mode === 'NEW' ? existing : existing?.state !== 'BACKORDERED') return { result: 'UNIT_TAKEN' };
    const [codeId, code] = candidate;
    code.status = 'RESERVED';
    code.unit = unitKey(unit);
    const now = this.clock.now().toISOString();
    this.world.units.set(
      unitKey(unit),
      mode === 'NEW' ? { ...unit, state: 'RESERVED', codeId, sendStartedAt: now } : { ...existing!, state: 'RESERVED', codeId },
    );
    return { result: 'CLAIMED', codeId, at: now };
  }

  /** [order not cancelled, unit put (attribute_not_exists), FIFO entry put]. */
  async backorder(unit: NewUnit): Promise<'CREATED' | 'EXISTS' | 'ORDER_CANCELLED'> {
    if (this.orderCancelled(unit)) return 'ORDER_CANCELLED';
    if (this.world.units.has(unitKey(unit))) return 'EXISTS';
    this.world.units.set(unitKey(unit), { ...unit, state: 'BACKORDERED' });
    const position = backorderSk(unit.receivedAt, unit.storeId, unit.orderId, unit.unitId);
    this.world.backorders.set(this.entryKey(unit.sku, position), {
      sku: unit.sku,
      storeId: unit.storeId,
      orderId: unit.orderId,
      unitId: unit.unitId,
      receivedAt: unit.receivedAt,
      position,
    });
    return 'CREATED';
  }

  /** [order not cancelled, unit `state = RESERVED` → SET sendStartedAt = if_not_exists(sendStartedAt, :at)]. */
  async commitSend(unit: OrderUnit, at: string): Promise<'COMMITTED' | 'ORDER_CANCELLED' | 'NOT_RESERVED'> {
    if (this.orderCancelled(unit)) return 'ORDER_CANCELLED';
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'RESERVED') return 'NOT_RESERVED';
    stored.sendStartedAt ??= at;
    return 'COMMITTED';
  }

  /**
   * Unit `RESERVED AND codeId = :codeId AND attribute_not_exists(sendStartedAt)` → CANCELLED (codeId removed);
   * code `RESERVED` and held by this unit → AVAILABLE, back in the index. Both or neither.
   */
  async releaseReserved(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if (stored?.state !== 'RESERVED' || stored.codeId !== unit.codeId || stored.sendStartedAt !== undefined) return false;
    if (code?.status !== 'RESERVED' || code.unit !== unitKey(unit)) return false;
    stored.state = 'CANCELLED';
    delete stored.codeId;
    code.status = 'AVAILABLE';
    delete code.unit;
    return true;
  }

  async cancelBackorder(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'BACKORDERED') return false;
    stored.state = 'CANCELLED';
    this.world.backorders.delete(this.entryKey(unit.sku, backorderSk(unit.receivedAt, unit.storeId, unit.orderId, unit.unitId)));
    return true;
  }

  async hasBackorders(sku: string): Promise<boolean> {
    return (await this.oldestBackorders(sku, 1)).length > 0;
  }

  async oldestBackorders(sku: string, limit: number): Promise<BackorderEntry[]> {
    return [...this.world.backorders.values()]
      .filter((e) => e.sku === sku)
      .sort((a, b) => (a.position < b.position ? -1 : 1))
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }

  async removeBackorderEntry(entry: BackorderEntry): Promise<void> {
    this.world.backorders.delete(this.entryKey(entry.sku, entry.position));
  }

  async readCode(sku: string, codeId: string): Promise<CodeMaterial> {
    const code = this.world.codes.get(codeId);
    if (!code || code.sku !== sku) throw new Error(`Code ${codeId} of SKU ${sku} not found`);
    return { ...code.material };
  }

  /** Like the DynamoDB store: the code write, then the unit write, each accepting "already DELIVERED for this unit". */
  async markDelivered(unit: OrderUnit, at: string): Promise<boolean> {
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if ((code?.status !== 'RESERVED' && code?.status !== 'DELIVERED') || code.unit !== unitKey(unit)) return false;
    code.status = 'DELIVERED';
    if (this.failMarkDeliveredAfterCode) {
      this.failMarkDeliveredAfterCode = false;
      throw new Error('crashed between the code and the unit write');
    }
    const stored = this.world.units.get(unitKey(unit));
    if ((stored?.state !== 'RESERVED' && stored?.state !== 'DELIVERED') || stored.codeId !== unit.codeId) return false;
    stored.state = 'DELIVERED';
    stored.deliveredAt ??= at;
    return true;
  }

  async countAvailable(sku: string, atMost: number): Promise<number> {
    return Math.min(atMost, [...this.world.codes.values()].filter((c) => c.sku === sku && c.status === 'AVAILABLE').length);
  }

  /** Keyed by the (trimmed) code value like the HMAC id, across all SKUs like the CODEID# guard item. */
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

  async audit(sku: string): Promise<Record<'AVAILABLE' | 'RESERVED' | 'DELIVERED' | 'REVOKED', number>> {
    const counts = { AVAILABLE: 0, RESERVED: 0, DELIVERED: 0, REVOKED: 0 };
    for (const c of this.world.codes.values()) if (c.sku === sku) counts[c.status]++;
    return counts;
  }
}

export class FakeCatalog implements CatalogStore {
  readonly configs = new Map<string, SkuConfig>();
  readonly mappings = new Map<string, ProductMapping>();
  readonly lookups: string[][] = [];

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
    this.lookups.push(productIds);
    const found = new Map<string, ProductMapping>();
    for (const id of productIds) {
      const m = this.mappings.get(`${storeId}/${id}`);
      if (m) found.set(id, m);
    }
    return found;
  }
  async putProductMapping(mapping: ProductMapping) {
    this.mappings.set(`${mapping.storeId}/${mapping.productId}`, mapping);
  }
}

export interface ReorderRecord extends ActiveReorder {
  supplier: string;
  createdAt: string;
  codesReceived: number;
  supplierOrderIds: string[];
  failureReason?: string;
  finished?: 'COMPLETED' | 'FAILED';
}

/** The SKU config's `activeReorder` / `reorderBlockedUntil` and the reorder records, as DynamoReorderStore keeps them. */
export class FakeReorders implements ReorderStore {
  readonly active = new Map<string, ActiveReorder>();
  readonly blockedUntil = new Map<string, string>();
  readonly records = new Map<string, ReorderRecord>();

  async getReorderStatus(sku: string) {
    const active = this.active.get(sku);
    return { active: active && { ...active }, blockedUntil: this.blockedUntil.get(sku) };
  }
  /** `attribute_not_exists(activeReorder)`; the active copy keeps createdAt (the max-age check reads it). */
  async startReorder(sku: string, reorder: ActiveReorder & { supplier: string }) {
    if (this.active.has(sku)) return false;
    const { reorderId, state, leaseUntil, quantity, createdAt } = reorder;
    this.active.set(sku, { reorderId, state, leaseUntil, quantity, createdAt });
    this.records.set(reorderId, { ...reorder, createdAt: createdAt ?? '', codesReceived: 0, supplierOrderIds: [] });
    return true;
  }
  async renewLease(sku: string, reorderId: string, expiredBefore: string, leaseUntil: string) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId || !(active.leaseUntil < expiredBefore)) return false;
    active.leaseUntil = leaseUntil;
    return true;
  }
  /** Conditional on the active reorder (thrown otherwise); progress fields are written only when given. */
  async updateReorder(
    sku: string,
    reorderId: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; pollId?: string },
  ) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId) throw new Error(`Reorder ${reorderId} of SKU ${sku} is no longer the active one`);
    active.state = update.state;
    if (update.leaseUntil) active.leaseUntil = update.leaseUntil;
    if (update.pollId) active.pollId = update.pollId;
    const record = this.records.get(reorderId);
    if (!record) return;
    record.state = update.state;
    if (update.codesReceived !== undefined) record.codesReceived = update.codesReceived;
    if (update.supplierOrderIds !== undefined) record.supplierOrderIds = [...update.supplierOrderIds];
  }
  /** Conditional on the active reorder (quietly nothing otherwise); pauses reordering until blockedUntil either way. */
  async finishReorder(sku: string, reorderId: string, outcome: { state: 'COMPLETED'; blockedUntil: string } | { state: 'FAILED'; failureReason: string; blockedUntil: string }) {
    if (this.active.get(sku)?.reorderId !== reorderId) return;
    this.active.delete(sku);
    this.blockedUntil.set(sku, outcome.blockedUntil);
    const record = this.records.get(reorderId);
    if (record) Object.assign(record, { state: outcome.state, finished: outcome.state, failureReason: outcome.state === 'FAILED' ? outcome.failureReason : undefined });
  }
}

export class FakeLeases implements LeaseStore {
  readonly holders = new Map<string, string>();
  readonly released: string[] = [];
  async acquire(sku: string, owner: string): Promise<boolean> {
    if (this.holders.has(sku)) return false;
    this.holders.set(sku, owner);
    return true;
  }
  async release(sku: string, owner: string): Promise<void> {
    if (this.holders.get(sku) === owner) this.holders.delete(sku);
    this.released.push(sku);
  }
}

export class RecordingOrderQueue implements OrderQueue {
  readonly sent: OrderMessage[] = [];
  /** Each call to sendMany, as given. */
  readonly batches: OrderMessage[][] = [];
  failures = 0;
  async send(message: OrderMessage): Promise<void> {
    if (this.failures > 0 && this.failures--) throw new Error('queue down');
    this.sent.push(message);
  }
  async sendMany(messages: OrderMessage[]): Promise<void> {
    if (this.failures > 0 && this.failures--) throw new Error('queue down');
    this.batches.push([...messages]);
    this.sent.push(...messages);
  }
}

export class RecordingPollQueue implements ReorderPollQueue {
  readonly scheduled: Array<{ message: ReorderPollMessage; delaySeconds: number }> = [];
  async schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void> {
    this.scheduled.push({ message, delaySeconds });
  }
}

export class RecordingChannel implements DeliveryChannel {
  readonly name = 'recording';
  readonly sent: CustomerMessage[] = [];
  failures = 0;
  async send(message: CustomerMessage): Promise<void> {
    if (this.failures > 0 && this.failures--) throw new Error('channel down');
    this.sent.push(message);
  }
}

export class RecordingAlerts implements AlertPublisher {
  readonly published: MerchantAlert[] = [];
  failures = 0;
  async publish(alert: MerchantAlert): Promise<void> {
    if (this.failures > 0 && this.failures--) throw new Error('alerts down');
    this.published.push(alert);
  }
}

export class RecordingLog implements CoreLogger {
  readonly lines: Array<{ level: string; message: string; data?: Record<string, unknown> }> = [];
  debug(message: string, data?: Record<string, unknown>) {
    this.lines.push({ level: 'debug', message, data });
  }
  info(message: string, data?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, data });
  }
  warn(message: string, data?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, data });
  }
  error(message: string, data?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, data });
  }
}

/** A supplier whose answers the test scripts; records every request. */
export class ScriptedSupplier implements Supplier {
  readonly name = 'scripted';
  readonly requests: SupplierOrderRequest[] = [];
  constructor(public answer: (request: SupplierOrderRequest) => Promise<SupplierFulfilment>) {}
  async placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    this.requests.push(request);
    return this.answer(request);
  }
  async check(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    return this.answer(request);
  }
  async balance() {
    return { amount: 100, currency: 'USD' };
  }
}

export interface Harness {
  deps: CoreDeps;
  world: World;
  orders: FakeOrderStore;
  inventory: FakeInventory;
  catalog: FakeCatalog;
  reorders: FakeReorders;
  leases: FakeLeases;
  queue: RecordingOrderQueue;
  polls: RecordingPollQueue;
  channel: RecordingChannel;
  alerts: RecordingAlerts;
  clock: FakeClock;
  log: RecordingLog;
  suppliers: Map<string, Supplier>;
}

export function harness(): Harness {
  const world = new World();
  const clock = new FakeClock();
  const h = {
    world,
    orders: new FakeOrderStore(world),
    inventory: new FakeInventory(world, clock),
    catalog: new FakeCatalog(),
    reorders: new FakeReorders(),
    leases: new FakeLeases(),
    queue: new RecordingOrderQueue(),
    polls: new RecordingPollQueue(),
    channel: new RecordingChannel(),
    alerts: new RecordingAlerts(),
    clock,
    log: new RecordingLog(),
    suppliers: new Map<string, Supplier>(),
  };
  const deps: CoreDeps = {
    orders: h.orders,
    inventory: h.inventory,
    catalog: h.catalog,
    reorders: h.reorders,
    leases: h.leases,
    orderQueue: h.queue,
    pollQueue: h.polls,
    channel: h.channel,
    alerts: h.alerts,
    supplier: async (name) => h.suppliers.get(name),
    clock: h.clock,
    log: h.log,
    // The defaults of functions/shared/config.ts.
    settings: { reorderLeaseSeconds: 120, reorderPollDelaySeconds: 60, reorderFailureBackoffSeconds: 900, reorderCooldownSeconds: 10, reorderMaxAgeSeconds: 3600 },
  };
  return { ...h, deps };
}

/** A paid order message of `quantity` units of one SKU (one line). */
export function orderMessage(orderId: string, sku: string, quantity: number, extra: Partial<NewOrder> = {}): NewOrder {
  return {
    kind: 'ORDER',
    platform: 'salla',
    storeId: 'store-1',
    orderId,
    reference: `REF-${orderId}`,
    locale: 'en',
    customer: { name: 'Sara', phone: '+966500000001' },
    lines: [{ lineId: 'L1', productId: 'P1', sku, quantity, name: 'Gift card 50' }],
    receivedAt: T0,
    ...extra,
  };
}
