// Local channel: posts each customer message, worded as an SMS would be, to the local outbox.
import { composePlainText } from '#core/texts/compose';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import type { OutboxEntry } from '../channel-module';

export class RecorderChannel implements DeliveryChannel {
  readonly name = 'recorder';

  constructor(private readonly baseUrl: string) {}

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    const { subject, body } = composePlainText(message);
    const entry: OutboxEntry = { channel: this.name, kind: message.kind, locale: message.locale, to: message.to, ref: message.ref, subject, body };
    const res = await fetch(`${this.baseUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(entry),
    });
    if (!res.ok) throw new Error(`Recorder answered ${res.status} for ${message.ref}`);
    const answer = (await res.json().catch(() => ({}))) as { seq?: number };
    return { providerMessageId: answer.seq === undefined ? undefined : `outbox-${answer.seq}` };
  }
}
