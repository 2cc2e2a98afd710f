// toSqsRecord: a ReceiveMessage result becomes a record of a real Lambda SQSEvent.
import type { Message } from '@aws-sdk/client-sqs';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import { toSqsRecord } from '#local/pollers/sqs-poller';

const ARN = 'arn:aws:sqs:me-south-1:000000000000:orders';

/** What ReceiveMessage returns with MessageSystemAttributeNames and MessageAttributeNames = All. */
const received: Message = {
  MessageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  ReceiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a==',
  MD5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
  Body: '{"kind":"RESUME","storeId":"S1","orderId":"O1"}',
  Attributes: {
    ApproximateReceiveCount: '2',
    SentTimestamp: '1545082649183',
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  MessageAttributes: {
    source: { DataType: 'String', StringValue: 'webhook' },
    attempt: { DataType: 'Number', StringValue: '3' },
  },
};

describe('toSqsRecord', () => {
  it('builds a record the Powertools SqsSchema accepts', () => {
    const event = { Records: [toSqsRecord(received, ARN, 'me-south-1')] };
    expect(() => SqsSchema.parse(event)).not.toThrow();
  });

  it('carries the message over field by field', () => {
    expect(toSqsRecord(received, ARN, 'me-south-1')).toEqual({
      messageId: received.MessageId,
      receiptHandle: received.ReceiptHandle,
      body: received.Body,
      attributes: received.Attributes,
      messageAttributes: {
        source: { stringValue: 'webhook', dataType: 'String', stringListValues: [], binaryListValues: [] },
        attempt: { stringValue: '3', dataType: 'Number', stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: received.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'me-south-1',
    });
  });

  it('fills the system attributes Lambda always sends when the emulator leaves them out', () => {
    const record = toSqsRecord({ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: 'x' }, ARN, 'me-south-1');
    expect(SqsSchema.parse({ Records: [record] }).Records[0].attributes).toEqual({
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
    });
    expect(record.messageAttributes).toEqual({});
  });

  it('keeps a Binary message attribute as base64 binaryValue, as Lambda does', () => {
    const record = toSqsRecord({ ...received, MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } } }, ARN, 'me-south-1');
    expect(record.messageAttributes.blob).toMatchObject({ dataType: 'Binary', binaryValue: Buffer.from('hi').toString('base64') });
    expect(record.messageAttributes.blob.stringValue).toBeUndefined();
    expect(() => SqsSchema.parse({ Records: [record] })).not.toThrow();
  });

  it('a String attribute has no binaryValue', () => {
    const record = toSqsRecord(received, ARN, 'me-south-1');
    expect(record.messageAttributes.source.binaryValue).toBeUndefined();
  });
});
