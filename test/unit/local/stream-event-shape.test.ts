// toStreamRecord: a GetRecords record becomes a record of a real Lambda DynamoDBStreamEvent.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBStreamsClient, GetRecordsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import { groupBySku } from '#adapters/dynamo/stream-records';
import { toStreamRecord } from '#local/pollers/stream-poller';

const ARN = 'arn:aws:dynamodb:me-south-1:000000000000:table/streamsync/stream/2025-03-01T00:00:00.000';

/** A record as @aws-sdk/client-dynamodb-streams returns it: ApproximateCreationDateTime is a Date. */
const claimed: _Record = {
  eventID: 'c81e728d9d4c2f636f067f89cc14862c',
  eventName: 'MODIFY',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date('2025-03-01T10:00:07.900Z'),
    Keys: { pk: { S: 'SKU#CARD-50' }, sk: { S: 'CODE#3f2a' } },
    OldImage: { pk: { S: 'SKU#CARD-50' }, sk: { S: 'CODE#3f2a' }, status: { S: 'AVAILABLE' }, availPk: { S: 'AVAIL#CARD-50#3' } },
    NewImage: { pk: { S: 'SKU#CARD-50' }, sk: { S: 'CODE#3f2a' }, status: { S: 'RESERVED' }, reservedAt: { S: '2025-03-01T10:00:07.800Z' } },
    SequenceNumber: '000000000000000000042',
    SizeBytes: 212,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
};

describe('toStreamRecord', () => {
  it('builds a record the Powertools DynamoDBStreamSchema accepts', () => {
    const parsed = DynamoDBStreamSchema.parse({ Records: [toStreamRecord(claimed, ARN, 'me-south-1')] });
    expect(parsed.Records[0].dynamodb).toMatchObject({
      Keys: { pk: 'SKU#CARD-50', sk: 'CODE#3f2a' },
      OldImage: { status: 'AVAILABLE' },
      NewImage: { status: 'RESERVED' },
      SequenceNumber: '000000000000000000042',
    });
  });

  it('uses epoch seconds for ApproximateCreationDateTime and the poller’s ARN and region', () => {
    const record = toStreamRecord(claimed, ARN, 'me-south-1');
    expect(record).toMatchObject({ eventID: claimed.eventID, eventName: 'MODIFY', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'me-south-1', eventSourceARN: ARN });
    expect(record.dynamodb?.ApproximateCreationDateTime).toBe(1740823207);
    expect(record.dynamodb?.SizeBytes).toBe(212);
    expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
  });

  it('INSERT and REMOVE records (one image each) parse too', () => {
    const { OldImage, NewImage, ...rest } = claimed.dynamodb!;
    const inserted: _Record = { ...claimed, eventName: 'INSERT', dynamodb: { ...rest, NewImage: { ...NewImage, status: { S: 'AVAILABLE' } } } };
    const removed: _Record = { ...claimed, eventName: 'REMOVE', dynamodb: { ...rest, OldImage } };
    const records = [inserted, removed].map((r) => toStreamRecord(r, ARN, 'me-south-1'));
    expect(() => DynamoDBStreamSchema.parse({ Records: records })).not.toThrow();
    expect(records[0].dynamodb).not.toHaveProperty('OldImage', expect.anything());
  });

  it('feeds the restock grouping like a Lambda event would', () => {
    expect(groupBySku([toStreamRecord(claimed, ARN, 'me-south-1')]).get('CARD-50')).toEqual({
      activity: { stockTaken: true, stockAdded: false, backorderAdded: false },
      sequenceNumbers: ['000000000000000000042'],
    });
  });

  it('accepts exactly what the Streams SDK deserialises from the wire', async () => {
    // A loopback "DynamoDB Streams" answering GetRecords, so the record is the SDK's own output.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(
          JSON.stringify({
            NextShardIterator: 'next',
            Records: [{ ...claimed, dynamodb: { ...claimed.dynamodb, ApproximateCreationDateTime: 1740823207.9 } }],
          }),
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = new DynamoDBStreamsClient({
      region: 'me-south-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { Records } = await client.send(new GetRecordsCommand({ ShardIterator: 'it' }));
      expect(Records?.[0].dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date);
      const parsed = DynamoDBStreamSchema.parse({ Records: Records!.map((r) => toStreamRecord(r, ARN, 'me-south-1')) });
      expect(parsed.Records[0].dynamodb.ApproximateCreationDateTime).toBe(1740823207);
    } finally {
      client.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
