// The delivery and reorder-poll functions parse each record with the Powertools batch parser: a body
// that is not a valid message fails its record (→ retries → DLQ) before the core sees it. When every
// record of a batch fails, the delivery function still answers with the failed records (so they get its
// retry backoff); the reorder poll lets Powertools throw, so Lambda retries the batch.
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent } from 'aws-lambda';
import { toSqsRecord } from '#local/pollers/sqs-poller';
import { lambdaContext } from '#local/lambda-context';

const record = (id: string, body: string) =>
  toSqsRecord({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: body, Attributes: { ApproximateReceiveCount: '1' } }, 'arn:aws:sqs:us-east-1:000000000000:orders', 'us-east-1');

describe('record parsing in the SQS handlers', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  });

  it('delivery: malformed JSON, a wrong shape and an unknown kind all fail parsing', async () => {
    const { rawHandler } = await import('#functions/delivery/handler');
    const event: SQSEvent = {
      Records: [
        record('not-json', '{"kind":"ORDER",'),
        record('wrong-shape', JSON.stringify({ kind: 'ORDER', storeId: 'S1', orderId: 'O1', lines: [] })),
        record('unknown-kind', JSON.stringify({ kind: 'REFUND_ALL' })),
      ],
    };
    const response = await rawHandler(event, lambdaContext('delivery') as Context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['not-json', 'wrong-shape', 'unknown-kind']);
  });

  it('reorder poll: a body without sku and reorderId fails its record', async () => {
    const { rawHandler } = await import('#functions/restock/poll-handler');
    await expect(rawHandler({ Records: [record('p1', JSON.stringify({ sku: 'X' }))] }, lambdaContext('poll') as Context)).rejects.toBeInstanceOf(
      FullBatchFailureError,
    );
  });
});
