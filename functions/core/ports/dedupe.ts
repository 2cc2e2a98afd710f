// Port of the webhook edge: an identical delivery (a platform retry, a burst of copies) runs once.

export type DedupeOutcome<T> =
  | { ran: true; value: T }
  /** Another copy ran it already (`DONE`), or is running it right now (`IN_PROGRESS`): nothing was done. */
  | { ran: false; state: 'DONE' | 'IN_PROGRESS' };

export interface DeliveryDedupe {
  /**
   * Runs `work` once per `deliveryId` within the dedupe window. A failed `work` is forgotten, so the
   * platform's retry runs it again; a crashed one is forgotten once its in-progress time is up.
   */
  once<T>(deliveryId: string, work: () => Promise<T>): Promise<DedupeOutcome<T>>;
}
