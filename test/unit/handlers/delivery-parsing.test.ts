// The delivery and reorder-poll functions parse each record with the Powertools batch parser: a body
// that is not a valid message fails its record (→ retries → DLQ) before the core sees it. When every
// record of a batch fails, Powertools throws so Lambda retries the batch (and the error alarm sees it).
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
    const failure = await rawHandler(event, lambdaContext('delivery') as Context).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(FullBatchFailureError);
    const reasons = (failure as FullBatchFailureError).recordErrors.map((e) => e.name);
    expect(reasons).toEqual(['ParsingError', 'ParsingError', 'ParsingError']);
  });

  it('reorder poll: a body without sku and reorderId fails its record', async () => {
    const { rawHandler } = await import('#functions/restock/poll-handler');
    await expect(rawHandler({ Records: [record('p1', JSON.stringify({ sku: 'X' }))] }, lambdaContext('poll') as Context)).rejects.toBeInstanceOf(
      FullBatchFailureError,
    );
  });
});
