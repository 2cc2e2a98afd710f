// Local channel: posts each customer message, worded as an SMS would be, to the local outbox. It refuses
// what SMS would refuse (no valid mobile number), so `npm start` shows the holds a real store would get.
import { isMobileNumber } from '#core/contact';
import { ChannelError } from '#core/errors';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import type { OutboxEntry } from '../channel-module';

export class RecorderChannel implements DeliveryChannel {
  readonly name = 'recorder';

  constructor(private readonly baseUrl: string, private readonly timeoutMs = 10_000) {}

  canReach(to: Contact): boolean {
    return isMobileNumber(to.phone);
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    if (!this.canReach(message.to)) throw new ChannelError(`No phone number for ${message.ref}`, 'PERMANENT', 'NO_PHONE');
    const { subject, body } = composePlainText(message);
    const entry: OutboxEntry = { channel: this.name, kind: message.kind, locale: message.locale, to: message.to, ref: message.ref, subject, body };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry), signal: controller.signal });
    } catch (err) {
      // A refused connection sent nothing; a timeout may have delivered.
      const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      throw new ChannelError(`Recorder did not answer for ${message.ref}`, refused ? 'TRANSIENT' : 'UNKNOWN_OUTCOME', refused ? 'ECONNREFUSED' : 'timeout');
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 400 && res.status < 500) throw new ChannelError(`Recorder refused ${message.ref} (${res.status})`, 'PERMANENT', `HTTP_${res.status}`);
    if (!res.ok) throw new ChannelError(`Recorder answered ${res.status} for ${message.ref}`, 'TRANSIENT', `HTTP_${res.status}`);
    const answer = (await res.json().catch(() => ({}))) as { seq?: number };
    return { providerMessageId: answer.seq === undefined ? undefined : `outbox-${answer.seq}` };
  }
}
