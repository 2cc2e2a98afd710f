// Everything the use cases need, wired once per container by functions/shared/container.ts.
import type { AlertPublisher, Clock, DeliveryChannel, Supplier } from './ports';
import type { CatalogStore, InventoryStore, LeaseStore, OrderQueue, OrderStore, ReorderPollQueue, ReorderStore } from './store-ports';

/** Structured log sink the core may use. Implementations must never receive code values. */
export interface CoreLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface CoreDeps {
  orders: OrderStore;
  inventory: InventoryStore;
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
  settings: {
    reorderLeaseSeconds: number;
    reorderPollDelaySeconds: number;
    reorderFailureBackoffSeconds: number;
    /** Pause after a completed reorder, so a lagging index cannot trigger a second one. */
    reorderCooldownSeconds: number;
    /** A reorder the supplier keeps failing (retryably) for this long is given up and alerted. */
    reorderMaxAgeSeconds: number;
  };
}
