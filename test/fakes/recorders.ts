// Recording stand-ins for the messaging ports (queues, channel, alerts, log) and a scripted supplier.
import { isEmailAddress, isMobileNumber } from '#core/contact';
import type { Contact, OrderMessage } from '#core/model';
import type { AlertPublisher, MerchantAlert } from '#core/ports/alerts';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import type { OrderQueue, ReorderPollMessage, ReorderPollQueue } from '#core/ports/queues';
import type { DedupeOutcome, DeliveryDedupe } from '#core/ports/dedupe';
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

/** Either kind of poll message, its fields readable without narrowing. */
type ScheduledPoll = { sku: string; reorderId?: string; pollId?: string; lateCheck?: boolean; wake?: true };

export class RecordingPollQueue implements ReorderPollQueue {
  readonly scheduled: Array<{ message: ScheduledPoll; delaySeconds: number }> = [];
  async schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void> {
    this.scheduled.push({ message, delaySeconds });
  }
}

/** A message as the channel received it, with the plain text an SMS would carry. */
export type SentMessage = CustomerMessage & { subject: string; body: string };

export class RecordingChannel implements DeliveryChannel {
  readonly sent: SentMessage[] = [];
  failures = 0;
  /** How the next `failures` sends fail (a plain Error is of unknown outcome to the core). */
  failWith: () => Error = () => new Error('channel down');
  /** A chain of several: each named, each reaching its own kind of contact (default: a mobile number or an address). */
  constructor(readonly name = 'recording', private readonly reaches: (to: Contact) => boolean = (to) => isMobileNumber(to.phone) || isEmailAddress(to.email)) {}
  canReach(to: Contact): boolean {
    return this.reaches(to);
  }
  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    if (this.failures > 0 && this.failures--) throw this.failWith();
    this.sent.push({ ...message, ...composePlainText(message) });
    return { providerMessageId: `${this.name}-${this.sent.length}` };
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
  readonly requests: SupplierOrderRequest[] = [];
  /** The balance `balance()` reports; a function to fail it. */
  balanceAnswer: () => Promise<{ amount: number; currency: string }> = async () => ({ amount: 100, currency: 'USD' });
  constructor(
    public answer: (request: SupplierOrderRequest) => Promise<SupplierFulfilment>,
    readonly name = 'scripted',
  ) {}
  async placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    this.requests.push(request);
    return this.answer(request);
  }
  async check(request: SupplierOrderRequest): Promise<SupplierFulfilment> {
    return this.answer(request);
  }
  balance() {
    return this.balanceAnswer();
  }
}

/** The edge dedupe in memory: a delivery id runs once; a failed run is forgotten (like the DynamoDB marker). */
export class FakeDedupe implements DeliveryDedupe {
  readonly states = new Map<string, 'IN_PROGRESS' | 'DONE'>();
  async once<T>(deliveryId: string, work: () => Promise<T>): Promise<DedupeOutcome<T>> {
    const state = this.states.get(deliveryId);
    if (state) return { ran: false, state };
    this.states.set(deliveryId, 'IN_PROGRESS');
    try {
      const value = await work();
      this.states.set(deliveryId, 'DONE');
      return { ran: true, value };
    } catch (err) {
      this.states.delete(deliveryId);
      throw err;
    }
  }
}
