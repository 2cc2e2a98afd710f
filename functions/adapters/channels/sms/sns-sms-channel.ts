// Customer SMS through Amazon SNS direct publish (transactional, so it is not throttled as marketing).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { composePlainText } from '#core/texts/compose';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';

export class SnsSmsChannel implements DeliveryChannel {
  readonly name = 'sms';

  constructor(private readonly sns: SNSClient, private readonly senderId?: string) {}

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    if (!message.to.phone) throw new Error(`No phone number for ${message.ref}`);
    const res = await this.sns.send(
      new PublishCommand({
        PhoneNumber: message.to.phone,
        Message: composePlainText(message).body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } } : {}),
        },
      }),
    );
    return { providerMessageId: res.MessageId };
  }
}
