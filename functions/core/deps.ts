// Everything the use cases may depend on, built once per container by functions/wiring/container.ts.
// Each use case names the slice it uses (a `Pick` of this), so a caller builds only what it needs.
import type { AlertPublisher } from './ports/alerts';
import type { BackorderQueue } from './ports/backorders';
import type { CatalogStore } from './ports/catalog';
import type { ChannelChains } from './ports/channel';
import type { ClaimStore } from './ports/claims';
import type { LeaseStore } from './ports/leases';
import type { OrderStore } from './ports/orders';
import type { OrderQueue, ReorderPollQueue } from './ports/queues';
import type { ReorderStore } from './ports/reorders';
import type { RevealLinks, RevealStore, RevealTokens } from './ports/reveals';
import type { Clock, CoreLogger } from './ports/runtime';
import type { SendStore } from './ports/sends';
import type { StockStore } from './ports/stock';
import type { Supplier, SupplierBalances } from './ports/supplier';
import type { SupplierHealthStore } from './ports/supplier-health';
import type { WriteBackQueue } from './ports/write-back';

export interface ReorderSettings {
  reorderLeaseSeconds: number;
  reorderPollDelaySeconds: number;
  reorderFailureBackoffSeconds: number;
  /** Pause after a completed reorder, so a lagging index cannot trigger a second one. */
  reorderCooldownSeconds: number;
  /** A reorder the supplier has not finished after this long (failing, pending, partial) is given up and alerted. */
  reorderMaxAgeSeconds: number;
  /** How long, and how often, a given-up reorder is still looked up for late cards. */
  lateCheckWindowSeconds: number;
  lateCheckIntervalSeconds: number;
  /** `demand`: reorders cover what waits, follow-ups top them up, a decision wakes after the pause. `fixed`: the old rule (reorderQuantity, one at a time), kept as the benchmark's baseline. */
  reorderSizing: 'demand' | 'fixed';
  /** Most units in reorders at once for a SKU without its own `maxReorderQuantity`. */
  reorderMaxQuantity: number;
  /** Alert LOW_BALANCE when a supplier's balance after a purchase pays for fewer than this many reorders. */
  lowBalanceReorders: number;
}

export interface DeliverySettings {
  /** How long a sender holds a unit: longer than a send can take, shorter than the queue's visibility timeout. */
  sendLeaseSeconds: number;
  /** Units handled per invocation; the rest of a large order goes on in a continuation message. */
  unitsPerInvocation: number;
  /** Tries of a send within one invocation when the channel fails transiently (then the message is retried later). */
  channelAttempts: number;
  /** Wait before the second try; each further try waits four times longer. */
  channelRetryDelayMs: number;
  /**
   * `lean`: a message that is the first to ensure its order skips the query for units an earlier attempt
   * left (there can be none). `classic`: every message queries them, the path before; kept as the
   * benchmark's baseline. Default lean.
   */
  path?: 'lean' | 'classic';
}

export interface CoreDeps {
  orders: OrderStore;
  claims: ClaimStore;
  sends: SendStore;
  backorders: BackorderQueue;
  stock: StockStore;
  catalog: CatalogStore;
  reorders: ReorderStore;
  leases: LeaseStore;
  orderQueue: OrderQueue;
  pollQueue: ReorderPollQueue;
  /** Delivered orders for the store's write-back; absent where nothing writes back (benchmarks of the core). */
  writeBackQueue?: WriteBackQueue;
  /** Each store's channels, in the order they are tried. */
  channels: ChannelChains;
  alerts: AlertPublisher;
  /** Supplier adapter by name; undefined when not configured. */
  supplier(name: string): Promise<Supplier | undefined>;
  balances: SupplierBalances;
  supplierHealth: SupplierHealthStore;
  /** One-time reveal links: their grants and the once-per-unit mark. */
  reveals: RevealStore;
  revealLinks: RevealLinks;
  revealTokens: RevealTokens;
  clock: Clock;
  log: CoreLogger;
  settings: ReorderSettings;
  delivery: DeliverySettings;
}
