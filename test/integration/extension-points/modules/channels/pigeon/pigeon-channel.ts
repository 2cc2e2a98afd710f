// Pigeon: hands each customer message, worded as an SMS would be, to the merchant's courier service
// (the "loft") by publishing it to the loft's SNS topic; the loft delivers it and owns the receipt.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ChannelError, type ChannelFailure } from '#core/errors';
import { isMobileNumber } from '#core/contact';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';

/** What the loft receives: one JSON message per customer message. */
export interface PigeonFlight {
  kind: CustomerMessage['kind'];
  locale: CustomerMessage['locale'];
  to: CustomerMessage['to'];
  ref: string;
  subject: string;
  body: string;
}

/** SDK errors carry the HTTP status when SNS answered; without one we cannot know whether it published. */
function failureOf(err: unknown): { failure: ChannelFailure; reason: string } {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const reason = typeof e.name === 'string' && /^[A-Za-z]{1,64}$/.test(e.name) ? e.name : 'error';
  if (status === undefined) return { failure: 'UNKNOWN_OUTCOME', reason };
  if (status === 429 || reason === 'Throttling' || reason === 'ThrottledException') return { failure: 'TRANSIENT', reason };
  if (status >= 500) return { failure: 'UNKNOWN_OUTCOME', reason };
  return { failure: 'PERMANENT', reason };
}

export class PigeonChannel implements DeliveryChannel {
  readonly name = 'pigeon';

  constructor(private readonly sns: SNSClient, private readonly topicArn: string) {}

  canReach(to: Contact): boolean {
    return isMobileNumber(to.phone);
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    const flight: PigeonFlight = { kind: message.kind, locale: message.locale, to: message.to, ref: message.ref, ...composePlainText(message) };
    try {
      const res = await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Message: JSON.stringify(flight),
          MessageAttributes: { ref: { DataType: 'String', StringValue: message.ref } },
        }),
      );
      return { providerMessageId: res.MessageId };
    } catch (err) {
      const { failure, reason } = failureOf(err);
      // The ref and the SDK's error name only: the flight holds the code.
      throw new ChannelError(`pigeon: publishing ${message.ref} failed (${reason})`, failure, reason);
    }
  }
}
