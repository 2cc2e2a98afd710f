// How a chaos scenario is judged: wait until the pipeline has settled (queue empty, every paid unit in
// a named state, the scenario's expectations met) or the time is up, then the conservation audit (the
// one `npm run cli -- audit` runs), what each customer received, and the alerts.
import { auditSku, claimedUnitKeys } from '#cli/audit-check';
import { readCodeRows, readUnitRows } from '#cli/table-reads';
import { createDocumentClient } from '#adapters/dynamo/client';
import type { OrderUnit } from '#core/ports/orders';
import { codeSecrets, queueCounts, queueDepth } from '#test/integration/helpers';
import { pause, STORE, type PlacedOrder, type World } from './world';

const NAMED = new Set(['DELIVERED', 'BACKORDERED', 'HELD', 'CANCELLED']);

export interface Figures {
  orders: number;
  units: number;
  delivered: number;
  backordered: number;
  held: number;
  cancelled: number;
  /** Faults the injectors counted (SDK faults, crashes, channel and supplier failures). */
  faultsInjected: number;
  /** Paid units not in a named state at the end, plus order messages dead-lettered. */
  lost: number;
  /** Codes that reached more than one unit (by message, or per the audit). */
  doubleSold: number;
  /** Code messages beyond one per delivered unit. */
  duplicateMessages: number;
  /** Of those, the ones an injected crash between send and record (or a lost delivery record, or a sender stopped at its timeout) explains. */
  allowedDuplicates: number;
  /** Delivery invocations stopped at their function timeout, as Lambda stops them (each one a crash). */
  timeouts: number;
  /** From the end of the faults (or the last order placed) until everything settled. */
  recoverMs: number;
  settled: boolean;
}

interface OrderState {
  order: PlacedOrder;
  held: boolean;
  units: OrderUnit[];
}

async function readOrders(world: World): Promise<OrderState[]> {
  const { orders } = world.pipeline.deps;
  return Promise.all(
    world.orders.map(async (order) => {
      const [record, units] = await Promise.all([orders.getOrder(order.storeId, order.orderId), orders.listUnits(order.storeId, order.orderId)]);
      return { order, held: Boolean(record?.hold), units };
    }),
  );
}

/** Is this order where the scenario said it must end? */
function meetsExpectation(state: OrderState): boolean {
  const { order, held, units } = state;
  if (order.expect === 'HELD') return held || (units.length === order.units && units.every((u) => u.state === 'HELD'));
  if (units.length !== order.units) return false;
  if (order.expect === 'DELIVERED') return units.every((u) => u.state === 'DELIVERED');
  return units.every((u) => u.state === 'DELIVERED' || u.state === 'BACKORDERED');
}

/** Waits until the orders queue is empty and every order meets its expectation; false at the deadline. */
export async function settle(world: World, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const depth = await queueDepth(world.pipeline, world.pipeline.resources.ordersQueueUrl);
    if (depth === 0 && (await readOrders(world)).every(meetsExpectation)) {
      // Still empty a moment later: no retry was about to come back.
      await pause(300);
      if ((await queueDepth(world.pipeline, world.pipeline.resources.ordersQueueUrl)) === 0) return true;
    }
    if (Date.now() > deadline) return false;
    await pause(250);
  }
}

/** Judges the end state; `failures` lists every broken promise in words (empty means the scenario passed). */
export async function verify(world: World, settled: boolean, startedAt: number): Promise<{ figures: Figures; failures: string[] }> {
  const settledAt = Date.now();
  const failures: string[] = [];
  const states = await readOrders(world);
  const alerts = await world.collectAlerts();
  const units = states.flatMap((s) => s.units);
  const count = (state: string) => units.filter((u) => u.state === state).length;
  const heldOrderUnits = states.filter((s) => s.held).reduce((sum, s) => sum + s.order.units, 0);

  // Every paid unit ends named: delivered, backordered, held (alerted) or cancelled. A held order has no units yet.
  let lost = units.filter((u) => !NAMED.has(u.state)).length;
  for (const s of states) {
    if (!s.held && s.units.length < s.order.units) lost += s.order.units - s.units.length;
    if (!meetsExpectation(s)) failures.push(`order ${s.order.orderId}: expected ${s.order.expect}, found ${s.held ? 'order HELD' : s.units.map((u) => u.state).join(',') || 'no units'}`);
    if (s.held && !alerts.some((a) => a.type === 'ORDER_HELD' && a.orderId === s.order.orderId)) failures.push(`order ${s.order.orderId} is held without an ORDER_HELD alert`);
    for (const unit of s.units.filter((u) => u.state === 'HELD')) {
      if (!alerts.some((a) => a.type === 'UNIT_HELD' && a.orderId === unit.orderId)) failures.push(`unit ${unit.orderId}/${unit.unitId} is held without a UNIT_HELD alert`);
    }
  }
  const dead = await queueDepth(world.pipeline, world.pipeline.resources.ordersDlqUrl);
  if (dead > 0) failures.push(`${dead} order message(s) dead-lettered`);
  lost += dead;
  if (lost > 0) {
    const stuck = units.filter((u) => !NAMED.has(u.state)).slice(0, 3).map((u) => `${u.orderId}/${u.unitId} ${u.state} ${JSON.stringify({ sendAttempts: u.sendAttempts, lastSendFailure: u.lastSendFailure, maybeSent: u.maybeSent })}`);
    failures.push(`${lost} paid unit(s) lost (not delivered, backordered, held or cancelled; orders queue ${JSON.stringify(await queueCounts(world.pipeline, world.pipeline.resources.ordersQueueUrl))}): ${stuck.join('; ')}`);
  }

  // Conservation per SKU, and each claimed code pointing at its unit and back.
  const db = createDocumentClient(world.pipeline.clients.dynamo);
  let auditProblems = 0;
  for (const sku of world.skus) {
    const codes = await readCodeRows(db, world.pipeline.resources.tableName, sku);
    const audit = auditSku(sku, codes, await readUnitRows(db, world.pipeline.resources.tableName, claimedUnitKeys(codes)));
    if (!audit.ok) {
      auditProblems += audit.problems.length + audit.unknownStatus;
      failures.push(`audit of ${sku}: ${audit.problems.slice(0, 3).map((p) => `${p.codeId} ${p.problem}`).join('; ') || `${audit.unknownStatus} code(s) of unknown status`}`);
    }
  }
  if (new Set(units.filter((u) => u.codeId).map((u) => u.codeId)).size !== units.filter((u) => u.codeId).length) failures.push('two units hold the same code');

  // What the customers received: one code message per delivered unit, each code to one unit only.
  const secrets = await codeSecrets(world.pipeline, [...world.skus]);
  const codeMessages = world.pipeline.recorder.messages().filter((m) => m.kind === 'CODE' && m.ref.startsWith(`${STORE}/`));
  const perRef = new Map<string, number>();
  const refsPerCode = new Map<string, Set<string>>();
  for (const message of codeMessages) {
    perRef.set(message.ref, (perRef.get(message.ref) ?? 0) + 1);
    const code = secrets.find((s) => message.body.includes(s));
    if (code) refsPerCode.set(code, (refsPerCode.get(code) ?? new Set()).add(message.ref));
  }
  const doubleSold = [...refsPerCode.values()].filter((refs) => refs.size > 1).length + auditProblems;
  if (doubleSold > 0) failures.push(`${doubleSold} code(s) reached more than one unit, or failed the audit`);
  let duplicateMessages = 0;
  const repeated: string[] = [];
  for (const unit of units) {
    const received = perRef.get(`${unit.storeId}/${unit.orderId}/${unit.unitId}`) ?? 0;
    if (unit.state === 'DELIVERED' && received === 0) failures.push(`unit ${unit.orderId}/${unit.unitId} is DELIVERED but its customer got no message`);
    if (received > 1) {
      duplicateMessages += received - 1;
      repeated.push(`${unit.orderId}/${unit.unitId} ×${received} (attempts ${unit.sendAttempts ?? 0}${unit.maybeSent ? ', maybe sent' : ''}${unit.lastSendFailure ? `, last failure ${unit.lastSendFailure.reason}` : ''})`);
      if ((unit.sendAttempts ?? 0) < 2) failures.push(`unit ${unit.orderId}/${unit.unitId} got ${received} messages from a single send attempt`);
    }
    if (unit.state !== 'DELIVERED' && received > 0 && !unit.maybeSent && !unit.sendStartedAt) failures.push(`unit ${unit.orderId}/${unit.unitId} is ${unit.state} but its customer got the code`);
  }
  const crashes = world.faults.counts;
  // A sender stopped at its timeout after the channel accepted is the same crash between send and record.
  const allowedDuplicates = Math.min(duplicateMessages, crashes.crashes['before-mark-delivered'] + crashes.deliveryRecordsLost + crashes.timeouts);
  if (duplicateMessages > allowedDuplicates) failures.push(`${duplicateMessages - allowedDuplicates} repeated code message(s) no injected crash explains: ${repeated.slice(0, 5).join('; ')}`);
  if (!settled) failures.push('did not settle in time');

  return {
    figures: {
      orders: world.orders.length,
      units: units.length + heldOrderUnits,
      delivered: count('DELIVERED'),
      backordered: count('BACKORDERED'),
      held: count('HELD') + heldOrderUnits,
      cancelled: count('CANCELLED'),
      faultsInjected: world.faults.totalInjected + world.extraFaults(),
      lost,
      doubleSold,
      duplicateMessages,
      allowedDuplicates,
      timeouts: crashes.timeouts,
      recoverMs: Math.max(0, (world.recoveredAt ?? settledAt) - (world.faultsEndedAt ?? startedAt)),
      settled,
    },
    failures,
  };
}
