// Customer SMS through Amazon SNS direct publish (transactional, so it is not throttled as marketing).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { CustomerMessage, DeliveryChannel } from '#core/ports';

export class SnsSmsChannel implements DeliveryChannel {
  readonly name = 'sns-sms';

  constructor(private readonly sns: SNSClient, private readonly senderId?: string) {}

  async send(message: CustomerMessage): Promise<void> {
    if (!message.to.phone) throw new Error(`No phone number for ${message.ref}`);
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: message.to.phone,
        Message: message.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } } : {}),
        },
      }),
    );
  }
}
