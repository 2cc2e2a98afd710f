// Messaging ports: the orders queue and the delayed reorder-poll queue. Bodies never hold code values.
import type { OrderMessage } from '../model';

/** A poll of one reorder (its lease token or late-check token), or a wake: decide for the SKU again. */
export type ReorderPollMessage =
  | {
      sku: string;
      reorderId: string;
      /** The lease token handed to this poll (or, with `lateCheck`, the late check's token). */
      pollId?: string;
      /** A lookup of a reorder given up on: late cards are stored, nothing is bought. */
      lateCheck?: boolean;
    }
  /** Scheduled for the end of a reorder pause: what still waits is bought then, not at the next sweep. */
  | { sku: string; wake: true }
  /** The stream's wake of the filler: the fill runs in the poll function, so it never holds up the stream's next decision. */
  | { sku: string; fill: true };

export interface OrderQueue {
  send(message: OrderMessage): Promise<void>;
  sendMany(messages: OrderMessage[]): Promise<void>;
}

export interface ReorderPollQueue {
  schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void>;
}
