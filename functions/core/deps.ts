// Everything the use cases may depend on, built once per container by functions/wiring/container.ts.
// Each use case names the slice it uses (a `Pick` of this), so a caller builds only what it needs.
import type { AlertPublisher } from './ports/alerts';
import type { BackorderQueue } from './ports/backorders';
import type { CatalogStore } from './ports/catalog';
import type { DeliveryChannel } from './ports/channel';
import type { ClaimStore } from './ports/claims';
import type { LeaseStore } from './ports/leases';
import type { OrderStore } from './ports/orders';
import type { OrderQueue, ReorderPollQueue } from './ports/queues';
import type { ReorderStore } from './ports/reorders';
import type { Clock, CoreLogger } from './ports/runtime';
import type { StockStore } from './ports/stock';
import type { Supplier } from './ports/supplier';

export interface ReorderSettings {
  reorderLeaseSeconds: number;
  reorderPollDelaySeconds: number;
  reorderFailureBackoffSeconds: number;
  /** Pause after a completed reorder, so a lagging index cannot trigger a second one. */
  reorderCooldownSeconds: number;
  /** A reorder the supplier keeps failing (retryably) for this long is given up and alerted. */
  reorderMaxAgeSeconds: number;
}

export interface CoreDeps {
  orders: OrderStore;
  claims: ClaimStore;
  backorders: BackorderQueue;
  stock: StockStore;
  catalog: CatalogStore;
  reorders: ReorderStore;
  leases: LeaseStore;
  orderQueue: OrderQueue;
  pollQueue: ReorderPollQueue;
  channel: DeliveryChannel;
  alerts: AlertPublisher;
  /** Supplier adapter by name; undefined when not configured. */
  supplier(name: string): Promise<Supplier | undefined>;
  clock: Clock;
  log: CoreLogger;
  settings: ReorderSettings;
}
