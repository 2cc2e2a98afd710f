// Use case: tell the store a fully delivered order is delivered (Salla `completed`, Zid `delivered`),
// once per order, paced under the store's rate limit, retried with backoff, alerted when it gives up.
// Off the customer's path: the code is on their screen before this runs, and nothing here can undo it.
import { StoreApiError } from './errors';
import type { StoreSettings } from './model';
import type { AlertPublisher } from './ports/alerts';
import type { CatalogStore } from './ports/catalog';
import type { Clock, CoreLogger } from './ports/runtime';
import type { RateBudget, StoreApis, StorePacer, WriteBackMessage, WriteBackQueue, WriteBackRecord, WriteBackStore } from './ports/write-back';

export interface WriteBackSettings {
  /** How long one call may hold the order's write-back (longer than the API timeout). */
  leaseSeconds: number;
  /** Retryable failures (5xx, timeouts) before it is given up and alerted. */
  maxAttempts: number;
  /** First retry delay; each next one doubles, up to 15 minutes (SQS's longest delay). */
  retryBaseSeconds: number;
  /** The share of the store's budget write-backs may use: the rest is left for payment checks and the merchant's other apps. */
  budgetShare: { burst: number; perSecond: number };
  /** Waits up to this long in the invocation for a slot; a longer wait goes back on the queue, delayed. */
  maxInlineWaitMs: number;
}

export interface WriteBackDeps {
  writeBacks: WriteBackStore;
  pacer: StorePacer;
  storeApis: StoreApis;
  writeBackQueue: WriteBackQueue;
  alerts: AlertPublisher;
  catalog: Pick<CatalogStore, 'getStoreSettings'>;
  clock: Clock;
  log: CoreLogger;
  writeBack: WriteBackSettings;
  sleep?: (ms: number) => Promise<void>;
}

export type WriteBackOutcome = 'DONE' | 'FAILED' | 'SKIPPED' | 'ALREADY' | 'BUSY' | 'PACED' | 'RETRYING';

/** How late a delayed message may return and still use the slot it holds. */
const LATE_SLOT_MS = 10_000;

/** What the store sets when the merchant chose nothing (the platform's "delivered"). */
const DEFAULT_STATUS: Readonly<Record<string, string>> = { salla: 'completed', zid: 'delivered' };

/** The budget write-backs of this store may use: the store's own plan when the merchant set it, else the platform's default. */
export function writeBackBudget(settings: WriteBackSettings, platformBudget: RateBudget, store?: StoreSettings): RateBudget {
  const plan = { burst: store?.apiBurst ?? platformBudget.burst, perSecond: store?.apiPerSecond ?? platformBudget.perSecond };
  return { burst: Math.max(1, Math.floor(plan.burst * settings.budgetShare.burst)), perSecond: plan.perSecond * settings.budgetShare.perSecond };
}

export const retryDelaySeconds = (settings: WriteBackSettings, attempt: number) => Math.min(900, settings.retryBaseSeconds * 2 ** Math.max(0, attempt - 1));

export async function writeBackOrder(deps: WriteBackDeps, message: WriteBackMessage, owner: string): Promise<WriteBackOutcome> {
  const { platform, storeId, orderId } = message;
  const fields = { platform, storeId, orderId };
  const api = deps.storeApis.api(platform);
  const platformBudget = deps.storeApis.budget(platform);
  const store = await deps.catalog.getStoreSettings(storeId);
  // Paced before the order is touched: a message that only waits for its slot costs no write on the order.
  const budget = platformBudget && writeBackBudget(deps.writeBack, platformBudget, store);
  let wait = 0;
  if (api && budget && store?.writeBack !== 'off') {
    // A delayed message comes back at its slot, give or take the queue's own lateness; one much later (a
    // retry after a failure of ours, minutes on) reserves anew, so old slots never go out in one burst.
    const held = message.slotAt !== undefined && message.slotAt >= deps.clock.now().getTime() - LATE_SLOT_MS ? message.slotAt : undefined;
    const slotAt = held ?? (await deps.pacer.reserve(platform, storeId, budget, deps.clock.now().getTime()));
    wait = slotAt - deps.clock.now().getTime();
    if (wait > deps.writeBack.maxInlineWaitMs) {
      await deps.writeBackQueue.send({ ...message, slotAt }, Math.ceil(wait / 1000));
      return 'PACED';
    }
  }
  const now = deps.clock.now();
  const begun = await deps.writeBacks.begin(storeId, orderId, owner, now, deps.writeBack.leaseSeconds);
  if (!begun.started) {
    if (begun.reason === 'BUSY') {
      // A crashed holder's lease runs out: this copy comes back then and finishes the job (with a slot of its own).
      await deps.writeBackQueue.send({ ...message, slotAt: undefined }, Math.ceil((begun.leaseUntil - now.getTime()) / 1000) + 1);
      return 'BUSY';
    }
    return 'ALREADY';
  }
  const attempts = begun.attempts;
  const record = (extra: Omit<WriteBackRecord, 'attempts' | 'at'> & { attempts?: number }): WriteBackRecord => ({ attempts, at: deps.clock.now().toISOString(), ...extra });
  if (!api || !budget) {
    await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'SKIPPED', error: `${platform} has no store API` }));
    return 'SKIPPED';
  }
  if (begun.cancelled) {
    await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'SKIPPED', error: 'the order was cancelled or refunded after delivery' }));
    return 'SKIPPED';
  }
  if (store?.writeBack === 'off') {
    await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'SKIPPED', error: 'write-back is off for this store' }));
    return 'SKIPPED';
  }

  if (wait > 0) await (deps.sleep ?? defaultSleep)(wait);

  const status = store?.writeBackStatus ?? DEFAULT_STATUS[platform];
  const tried = attempts + 1;
  try {
    const answer = await api.markDelivered(storeId, orderId, {
      note: `StreamSync delivered ${message.units} code(s) to the customer.`,
      ...(store?.writeBackStatus ? { statusOverride: store.writeBackStatus } : {}),
    });
    await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'DONE', attempts: tried, httpStatus: answer.status, status }));
    deps.log.info('Order marked delivered in the store', { ...fields, status, attempts: tried });
    return 'DONE';
  } catch (err) {
    if (!(err instanceof StoreApiError)) {
      // Ours, not the store's (a table or network fault before the call): the queue retries the message.
      await deps.writeBacks.release(storeId, orderId, owner, record({ state: 'RETRYING', error: (err as Error).name })).catch(() => undefined);
      throw err;
    }
    if (err.kind === 'NO_TOKENS') {
      // The store never installed the app: nothing to tell it with. `stores list` shows it; no alert per order.
      await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'SKIPPED', error: err.message }));
      deps.log.warn('Write-back skipped: the store has no API tokens', fields);
      return 'SKIPPED';
    }
    if (err.kind === 'RATE_LIMITED') {
      // Not the order's fault: it does not count towards giving up, and the whole store slows down.
      const retryAfterMs = (err.retryAfterSeconds ?? 5) * 1000;
      await deps.pacer.holdUntil(platform, storeId, budget, deps.clock.now().getTime() + retryAfterMs);
      await deps.writeBacks.release(storeId, orderId, owner, record({ state: 'RETRYING', error: err.message }));
      await deps.writeBackQueue.send({ ...message, slotAt: undefined }, Math.ceil(retryAfterMs / 1000));
      deps.log.warn('The store rate-limited a write-back; the store is paced down', { ...fields, retryAfterSeconds: err.retryAfterSeconds });
      return 'RETRYING';
    }
    if (err.retryable && tried < deps.writeBack.maxAttempts) {
      await deps.writeBacks.release(storeId, orderId, owner, record({ state: 'RETRYING', attempts: tried, error: err.message }));
      await deps.writeBackQueue.send({ ...message, attempt: tried, slotAt: undefined }, retryDelaySeconds(deps.writeBack, tried));
      deps.log.warn('A write-back failed; it will be retried', { ...fields, kind: err.kind, attempts: tried });
      return 'RETRYING';
    }
    await deps.writeBacks.finish(storeId, orderId, owner, record({ state: 'FAILED', attempts: tried, error: err.message }));
    deps.log.error('A write-back failed for good', { ...fields, kind: err.kind, attempts: tried });
    await deps.alerts.publish({
      type: 'WRITE_BACK_FAILED',
      storeId,
      orderId,
      message:
        `Order ${orderId} of ${platform} store ${storeId} was delivered to the customer, but the store could not be told (${err.message}). ` +
        `Its status in ${platform} is unchanged: ${hint(err, platform, storeId, orderId)}`,
      details: { platform, kind: err.kind, attempts: tried },
    });
    return 'FAILED';
  }
}

function hint(err: StoreApiError, platform: string, storeId: string, orderId: string): string {
  if (err.kind === 'INVALID_GRANT' || err.kind === 'AUTH') return `re-install the app in the store (or run npm run cli -- stores add --platform ${platform} --store ${storeId} with new tokens), then npm run cli -- orders writeback --store ${storeId} --order ${orderId}.`;
  return `set it by hand, or retry with npm run cli -- orders writeback --store ${storeId} --order ${orderId}.`;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
