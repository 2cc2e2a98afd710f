// SnsAlertPublisher: merchant alerts on the topic, filterable by a `type` message attribute.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsAlertPublisher } from '#adapters/aws/sns-alerts';
import type { MerchantAlert } from '#core/ports/alerts';

const TOPIC = 'arn:aws:sns:me-south-1:123456789012:streamsync-alerts';
const snsMock = mockClient(SNSClient);
const publisher = new SnsAlertPublisher(new SNSClient({ region: 'me-south-1' }), TOPIC);

beforeEach(() => snsMock.reset().on(PublishCommand).resolves({ MessageId: 'm' }));

const types: MerchantAlert['type'][] = ['OUT_OF_STOCK', 'REFUND_AFTER_DELIVERY', 'SUPPLIER_FAILED'];

describe('SnsAlertPublisher', () => {
  it('publishes the alert as JSON with a readable subject and a String type attribute', async () => {
    const alert: MerchantAlert = { type: 'OUT_OF_STOCK', sku: 'CARD-50', storeId: 'S1', orderId: 'O1', message: 'SKU CARD-50 is out of stock', details: { units: 2 } };
    await publisher.publish(alert);
    const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(input).toEqual({
      TopicArn: TOPIC,
      Subject: 'StreamSync: out of stock',
      Message: JSON.stringify(alert, null, 2),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'OUT_OF_STOCK' } },
    });
    expect(JSON.parse(input.Message!)).toEqual(alert);
  });

  it.each(types)('%s: the subject is SNS-valid (≤ 100 ASCII chars, one line)', async (type) => {
    await publisher.publish({ type, message: 'x'.repeat(500) });
    const subject = snsMock.commandCalls(PublishCommand)[0].args[0].input.Subject!;
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('lets an SDK failure through', async () => {
    snsMock.on(PublishCommand).rejects(new Error('AuthorizationError'));
    await expect(publisher.publish({ type: 'OUT_OF_STOCK', message: 'm' })).rejects.toThrow('AuthorizationError');
  });
});
