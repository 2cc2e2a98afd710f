// Local DynamoDB Streams event source: reads every shard in order and invokes the handler with a
// real DynamoDBStreamEvent. Like Lambda: one batch per shard at a time, a failed batch is retried
// from the first failed record, and after `retryAttempts` the batch goes to the on-failure callback.
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../lambda-context';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  functionName: string;
  handler: StreamHandler;
  batchSize?: number;
  retryAttempts?: number;
  pollIntervalMs?: number;
  onFailure?: (records: DynamoDBRecord[], err: unknown) => void;
  /** The event source mapping's filter: records that fail it are dropped, as Lambda does. */
  filter?: (record: DynamoDBRecord) => boolean;
  onError?: (err: unknown) => void;
}

export function toStreamRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) : undefined,
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

export function startStreamPoller(options: StreamPollerOptions) {
  let running = true;
  const shardLoops = new Map<string, Promise<void>>();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const invoke = async (records: DynamoDBRecord[]): Promise<void> => {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      let failedFrom: string | undefined;
      let error: unknown;
      try {
        const response = await options.handler({ Records: pending }, lambdaContext(options.functionName) as Context);
        failedFrom = response?.batchItemFailures?.[0]?.itemIdentifier;
      } catch (err) {
        error = err;
        failedFrom = pending[0].dynamodb?.SequenceNumber;
      }
      if (!failedFrom) return;
      const index = pending.findIndex((r) => r.dynamodb?.SequenceNumber === failedFrom);
      pending = pending.slice(Math.max(0, index));
      if (attempt >= (options.retryAttempts ?? 5)) {
        options.onFailure?.(pending, error ?? new Error('batch item failures after the last retry'));
        return;
      }
      await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
  };

  const readShard = async (shardId: string) => {
    let iterator = (
      await options.streams.send(new GetShardIteratorCommand({ StreamArn: options.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    while (running && iterator) {
      try {
        const res = await options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 100 }));
        iterator = res.NextShardIterator;
        const read = res.Records ?? [];
        const records = read.map((r) => toStreamRecord(r, options.streamArn, options.region)).filter(options.filter ?? (() => true));
        if (records.length > 0) await invoke(records);
        if (read.length === 0) await sleep(options.pollIntervalMs ?? 25);
      } catch (err) {
        if (!running) return;
        options.onError?.(err);
        await sleep(200);
      }
    }
  };

  const discover = async () => {
    while (running) {
      try {
        const described = await options.streams.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
        for (const shard of described.StreamDescription?.Shards ?? []) {
          const id = shard.ShardId!;
          // A child shard starts only after its parent is drained, to keep per-item order.
          if (shardLoops.has(id)) continue;
          const parent = shard.ParentShardId ? shardLoops.get(shard.ParentShardId) : undefined;
          shardLoops.set(id, (parent ?? Promise.resolve()).then(() => readShard(id)));
        }
      } catch (err) {
        if (running) options.onError?.(err);
      }
      for (let waited = 0; running && waited < 2000; waited += 100) await sleep(100);
    }
  };
  const discovery = discover();

  return {
    stop: async () => {
      running = false;
      await discovery;
      await Promise.all(shardLoops.values());
    },
  };
}
