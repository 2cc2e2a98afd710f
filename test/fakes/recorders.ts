// Recording stand-ins for the messaging ports (queues, channel, alerts, log) and a scripted supplier.
import type { OrderMessage } from '#core/model';
import type { AlertPublisher, MerchantAlert } from '#core/ports/alerts';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import type { OrderQueue, ReorderPollMessage, ReorderPollQueue } from '#core/ports/queues';
import type { CoreLogger } from '#core/ports/runtime';
import type { Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';

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

/** A message as the channel received it, with the plain text an SMS would carry. */
export type SentMessage = CustomerMessage & { subject: string; body: string };

export class RecordingChannel implements DeliveryChannel {
  readonly name = 'recording';
  readonly sent: SentMessage[] = [];
  failures = 0;
  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    if (this.failures > 0 && this.failures--) throw new Error('channel down');
    this.sent.push({ ...message, ...composePlainText(message) });
    return { providerMessageId: `recorded-${this.sent.length}` };
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
