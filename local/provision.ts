// Creates the table, queues and topic of the stack locally: the same shapes the CDK stack deploys.
import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { AVAILABLE_INDEX, DLQ_RETENTION_SECONDS, KIND_INDEX, MAX_RECEIVE_COUNT, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE } from '#adapters/dynamo/table-schema';

export interface LocalResources {
  tableName: string;
  streamArn: string;
  ordersQueueUrl: string;
  ordersDlqUrl: string;
  pollQueueUrl: string;
  writeBackQueueUrl: string;
  writeBackDlqUrl: string;
  alertsTopicArn: string;
  /** A queue subscribed to the alerts topic, so local alerts can be read. */
  alertsInboxUrl: string;
}

export async function createTable(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  const s = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [s(TABLE_KEYS.partitionKey), s(TABLE_KEYS.sortKey), s(AVAILABLE_INDEX.partitionKey), s(AVAILABLE_INDEX.sortKey), s(KIND_INDEX.partitionKey)],
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: AVAILABLE_INDEX.name,
          KeySchema: [
            { AttributeName: AVAILABLE_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: AVAILABLE_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: AVAILABLE_INDEX.projection },
        },
        {
          IndexName: KIND_INDEX.name,
          KeySchema: [
            { AttributeName: KIND_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: KIND_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: KIND_INDEX.projection },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW },
    }),
  );
  // DynamoDB Local records the setting but never deletes: expired markers simply stay, as they harm nothing.
  await dynamo.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  const described = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  return described.Table!.LatestStreamArn!;
}

async function queueWithDlq(sqs: SQSClient, name: string, visibilityTimeout: number): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) } }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeout),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
      },
    }),
  );
  return { url: queue.QueueUrl!, dlqUrl: dlq.QueueUrl! };
}

export async function provision(
  clients: { dynamo: DynamoDBClient; sqs: SQSClient; sns: SNSClient },
  prefix: string,
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<LocalResources> {
  const tableName = `${prefix}-table`;
  const streamArn = await createTable(clients.dynamo, tableName);
  const visibility = options.visibilityTimeoutSeconds ?? 30;
  const orders = await queueWithDlq(clients.sqs, `${prefix}-orders`, visibility);
  const poll = await queueWithDlq(clients.sqs, `${prefix}-reorder-poll`, visibility);
  const writeBack = await queueWithDlq(clients.sqs, `${prefix}-write-back`, visibility);
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-alerts` }));
  const inbox = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-alerts-inbox` }));
  const inboxArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: inbox.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await clients.sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn!, Protocol: 'sqs', Endpoint: inboxArn, Attributes: { RawMessageDelivery: 'true' } }));
  return {
    tableName,
    streamArn,
    ordersQueueUrl: orders.url,
    ordersDlqUrl: orders.dlqUrl,
    pollQueueUrl: poll.url,
    writeBackQueueUrl: writeBack.url,
    writeBackDlqUrl: writeBack.dlqUrl,
    alertsTopicArn: topic.TopicArn!,
    alertsInboxUrl: inbox.QueueUrl!,
  };
}
