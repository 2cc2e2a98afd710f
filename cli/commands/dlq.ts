// `dlq redrive`: moves failed order messages from the orders DLQ back to the orders queue, by hand
// (receive → send → delete), so it works on fauxqs too, which lacks StartMessageMoveTask. A crash
// between send and delete leaves a copy in the DLQ; redriving it again is harmless because delivery is
// idempotent per order unit. Message bodies are order messages: they never hold code values.
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';
import { wholeNumber } from '../options';
import { formatCount, plural, renderTable } from '../output';
import type { GlobalOptions, Session } from '../session';

/** Default upper bound per run, so a message that fails straight back into the DLQ cannot loop forever. */
const DEFAULT_MAX = 10_000;
/** Seconds a received message stays hidden: if its send fails, it reappears in the DLQ after this. */
const VISIBILITY_SECONDS = 60;

interface RedriveOptions extends GlobalOptions {
  max: number;
  dlqUrl?: string;
  queueUrl?: string;
}

export interface MovedMessage {
  kind?: string;
  storeId?: string;
  orderId?: string;
}

export function registerDlq(program: Command, session: Session): void {
  const dlq = program.command('dlq').description('Work with the orders dead-letter queue');

  dlq
    .command('redrive')
    .description('Move messages from the orders DLQ back to the orders queue, to be delivered again')
    .option('--max <n>', `move at most this many messages (default ${formatCount(DEFAULT_MAX)})`, wholeNumber(1), DEFAULT_MAX)
    .option('--dlq-url <url>', 'orders DLQ URL (default: env ORDERS_DLQ_URL; --local sets it)')
    .option('--queue-url <url>', 'orders queue URL (default: env ORDERS_QUEUE_URL; --local sets it)')
    .addHelpText(
      'after',
      `
Fix the cause first (read the delivery function's logs for the order): a message moved back while the
cause remains returns to the DLQ after 5 more failed attempts. Redelivery is safe: units already
delivered are not delivered twice.

Examples:
  $ npx tsx cli/streamsync.ts --local dlq redrive
  $ ORDERS_DLQ_URL=https://sqs.<region>.amazonaws.com/<account>/<orders-dlq> \\
    ORDERS_QUEUE_URL=https://sqs.<region>.amazonaws.com/<account>/<orders-queue> \\
    npx tsx cli/streamsync.ts dlq redrive --max 50
`,
    )
    .action(async (_options: unknown, command: Command) => {
      await redrive(session, command.optsWithGlobals<RedriveOptions>());
    });
}

async function redrive(session: Session, options: RedriveOptions): Promise<void> {
  const connection = await session.connect(options);
  const dlqUrl = options.dlqUrl ?? connection.ordersDlqUrl;
  const queueUrl = options.queueUrl ?? connection.ordersQueueUrl;
  if (!dlqUrl) throw new CliError('No orders DLQ: pass --dlq-url <url> or set ORDERS_DLQ_URL (the SQS console lists it as <stack>-OrdersDlq…).', EXIT.USAGE);
  if (!queueUrl) throw new CliError('No orders queue: pass --queue-url <url> or set ORDERS_QUEUE_URL.', EXIT.USAGE);
  if (dlqUrl === queueUrl) throw new CliError('--dlq-url and --queue-url are the same queue.', EXIT.USAGE);

  const sqs = connection.clients.sqs;
  const moved: MovedMessage[] = [];
  let failure: Error | undefined;
  try {
    while (moved.length < options.max) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: Math.min(10, options.max - moved.length),
          // Long polling asks every SQS server: an empty answer then really means an empty queue.
          WaitTimeSeconds: 1,
          VisibilityTimeout: VISIBILITY_SECONDS,
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = res.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body ?? '', MessageAttributes: message.MessageAttributes }));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
        moved.push(describe(message.Body));
      }
    }
  } catch (err) {
    failure = err as Error;
  }
  const remaining = await approximateDepth(sqs, dlqUrl).catch(() => undefined);
  if (options.json) session.json({ moved: moved.length, messages: moved, remainingApproximately: remaining, dlqUrl, queueUrl });
  else {
    session.out(`Moved ${plural(moved.length, 'message')} from the orders DLQ to the orders queue.`);
    if (moved.length > 0) {
      session.out(
        renderTable(moved, [
          { header: 'KIND', value: (m) => m.kind ?? '(not an order message)' },
          { header: 'STORE', value: (m) => m.storeId },
          { header: 'ORDER', value: (m) => m.orderId },
        ]),
      );
    }
    if (remaining !== undefined) session.out(`Left in the DLQ: about ${plural(remaining, 'message')}.`);
  }
  if (failure) throw new CliError(`Redrive stopped after ${plural(moved.length, 'message')}: ${failure.name}: ${failure.message}. Run it again to continue.`);
}

/** Which order a message is about: the ids only, never the rest of the body. */
function describe(body: string | undefined): MovedMessage {
  try {
    const parsed = JSON.parse(body ?? '') as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { kind: str(parsed.kind), storeId: str(parsed.storeId), orderId: str(parsed.orderId) };
  } catch {
    return {};
  }
}

async function approximateDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
