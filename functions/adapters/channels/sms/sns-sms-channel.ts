// Customer SMS through Amazon SNS direct publish (transactional, so it is not throttled as marketing).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isMobileNumber } from '#core/contact';
import { ChannelError } from '#core/errors';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import { toChannelError } from './sns-errors';

export class SnsSmsChannel implements DeliveryChannel {
  readonly name = 'sms';

  constructor(private readonly sns: SNSClient, private readonly senderId?: string) {}

  canReach(to: Contact): boolean {
    return isMobileNumber(to.phone);
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    if (!this.canReach(message.to)) throw new ChannelError(`No phone number for ${message.ref}`, 'PERMANENT', 'NO_PHONE');
    let res;
    try {
      res = await this.sns.send(
        new PublishCommand({
          PhoneNumber: message.to.phone,
          Message: composePlainText(message).body,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(this.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } } : {}),
          },
        }),
      );
    } catch (err) {
      throw toChannelError(err, message.ref);
    }
    return { providerMessageId: res.MessageId };
  }
}
