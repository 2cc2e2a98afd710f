// Local channel: posts each customer message to the recorder (local/recorder), an outbox you can read.
import type { CustomerMessage, DeliveryChannel } from '#core/ports';

export class RecorderChannel implements DeliveryChannel {
  readonly name = 'recorder';

  constructor(private readonly baseUrl: string) {}

  async send(message: CustomerMessage): Promise<void> {
    const res = await fetch(`${this.baseUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw new Error(`Recorder answered ${res.status} for ${message.ref}`);
  }
}
