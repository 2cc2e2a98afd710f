// The floor: the bare component calls one order needs, one after another on an idle pipeline — queue
// send + receive + delete, the claim (index read + transaction), the channel call. The end-to-end p50
// divided by this says how much the pipeline adds on top of the engines.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { RecorderChannel } from '#adapters/channels/recorder/recorder-channel';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { localCodeVault } from '#local/code-vault';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/engines';
import { demoCodes } from '#local/demo-data';
import { median, round } from '../lib/stats';

export interface FloorResult {
  samples: number;
  queueSendReceiveDeleteMs: number;
  claimMs: number;
  channelMs: number;
  /** Sum of the three medians. */
  floorMs: number;
}

const FLOOR_SKU = 'BENCH-FLOOR';
const SHARDS = 8;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export async function measureFloor(endpoints: { dynamo: string; sqs: string }, tableName: string, recorderUrl: string, samples: number): Promise<FloorResult> {
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...local, endpoint: endpoints.dynamo });
  const sqs = new SQSClient({ ...local, endpoint: endpoints.sqs, useQueueUrlAsEndpoint: false });
  try {
    const db = createDocumentClient(dynamo);
    const claims = new DynamoClaimStore(db, tableName, { shards: SHARDS });
    await new DynamoStockStore(db, tableName, localCodeVault(), { shards: SHARDS }).addCodes(FLOOR_SKU, demoCodes(samples + 5, 'FLOOR'), 'bench-floor');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-floor-${randomBytes(3).toString('hex')}` }));
    const channel = new RecorderChannel(recorderUrl);

    const queueMs: number[] = [];
    const claimMs: number[] = [];
    const channelMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      queueMs.push(
        await timed(async () => {
          await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ kind: 'PAID', orderId: `floor-${i}` }) }));
          const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0].ReceiptHandle! }));
        }),
      );
      const unit = { storeId: 'floor', orderId: `floor-${i}`, unitId: 'l1#1', sku: FLOOR_SKU, lineId: 'l1', receivedAt: new Date().toISOString() };
      claimMs.push(await timed(() => claims.claim(unit, 'NEW')));
      channelMs.push(
        await timed(() => channel.send({ to: { phone: '+966500000000' }, locale: 'en', kind: 'CODE', ref: `floor/floor-${i}/l1#1`, orderReference: `floor-${i}`, code: { code: 'FLOOR' } })),
      );
    }
    const queue = median(queueMs);
    const claim = median(claimMs);
    const send = median(channelMs);
    return {
      samples,
      queueSendReceiveDeleteMs: round(queue),
      claimMs: round(claim),
      channelMs: round(send),
      floorMs: round(queue + claim + send),
    };
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
}
