// Merchant alerts on an SNS topic (e-mail, SMS or a chat webhook subscribe to it).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher, MerchantAlert } from '#core/ports/alerts';

export class SnsAlertPublisher implements AlertPublisher {
  constructor(private readonly sns: SNSClient, private readonly topicArn: string) {}

  async publish(alert: MerchantAlert): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `StreamSync: ${alert.type.replace(/_/g, ' ').toLowerCase()}`.slice(0, 100),
        Message: JSON.stringify(alert, null, 2),
        MessageAttributes: { type: { DataType: 'String', StringValue: alert.type } },
      }),
    );
  }
}
