// Persistence port: the per-SKU FIFO of units waiting for stock, oldest paid first.
import type { NewUnit, OrderUnit, UnitRef } from './orders';

export interface BackorderEntry extends UnitRef {
  sku: string;
  receivedAt: string;
  /** Sort key of the backorder item, to delete stale entries. */
  position: string;
  /** A claim reserved a code for the unit (in the same transaction): it no longer waits, its RESUME may be due. */
  reserved?: boolean;
}

export type BackorderOutcome =
  | { result: 'CREATED' }
  /** The unit exists already (a duplicate message): `unit` is the record that won, when readable. */
  | { result: 'EXISTS'; unit?: OrderUnit }
  | { result: 'ORDER_CANCELLED' };

export interface BackorderQueue {
  /** Writes the unit as BACKORDERED plus its FIFO entry, unless it exists or the order is cancelled. */
  backorder(unit: NewUnit): Promise<BackorderOutcome>;
  /** BACKORDERED → CANCELLED and its FIFO entry removed; false if the unit was not backordered. */
  cancelBackorder(unit: OrderUnit): Promise<boolean>;
  hasBackorders(sku: string): Promise<boolean>;
  /** Bounded count of units still waiting for `sku` (not yet reserved by the filler): stops counting at `atMost`. */
  countBackorders(sku: string, atMost: number): Promise<number>;
  oldestBackorders(sku: string, limit: number): Promise<BackorderEntry[]>;
  /** Removes the entries (a page's, once its RESUME messages are out) in as few requests as the store allows. */
  removeBackorderEntries(entries: BackorderEntry[]): Promise<void>;
}
