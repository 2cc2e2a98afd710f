// Messaging ports: the orders queue and the delayed reorder-poll queue. Bodies never hold code values.
import type { OrderMessage } from '../model';

export interface ReorderPollMessage {
  sku: string;
  reorderId: string;
  pollId?: string;
}

export interface OrderQueue {
  send(message: OrderMessage): Promise<void>;
  sendMany(messages: OrderMessage[]): Promise<void>;
}

export interface ReorderPollQueue {
  schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void>;
}
