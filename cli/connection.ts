// How the CLI reaches a StreamSync deployment: the pipeline `npm start` runs (`--local`, via the
// environment it writes to .local/runtime.json) or the deployed stack (the process environment plus
// the normal AWS credential chain; the code key then comes from Secrets Manager, as in the functions).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { createDocumentClient } from '#adapters/dynamo/client';
import type { OrderQueue } from '#core/ports/queues';
import type { Supplier } from '#core/ports/supplier';
import { RUNTIME_FILE } from '#local/runtime-file';
import { createSecretReader } from '#wiring/clients';
import { configSchema, parseEnv } from '#wiring/config';
import { supplierCache } from '#wiring/restock-deps';
import { createStores, loadCodeVault, type Stores } from '#wiring/stores';
import { CliError } from './errors';

export { RUNTIME_FILE };

/**
 * What the CLI reads of the functions' environment: the table and the code key. Only TABLE_NAME (a
 * stack output) is required to run it against AWS; the orders queue is needed by the commands that
 * enqueue (`dlq redrive` takes its queue URLs explicitly).
 */
const cliConfigSchema = z.extend(z.pick(configSchema, { TABLE_NAME: true, CODE_ID_KEY_SECRET_NAME: true, CODE_KEYS: true, CODE_KEY_VERSION: true, LEGACY_CODE_KEY_SECRET_NAME: true, SUPPLIER_SECRET_PREFIX: true, AVAILABLE_SHARDS: true, LOCAL_SECRETS_JSON: true }), {
  ORDERS_QUEUE_URL: z.optional(z.string()),
});
export type CliConfig = z.infer<typeof cliConfigSchema>;

/** The stores of the functions, the supplier modules (for `suppliers --check`), and the orders queue when this environment names one. */
export type CliDeps = Stores & { orderQueue?: OrderQueue; supplier(name: string): Promise<Supplier | undefined> };

export interface CliClients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
}

export interface Connection {
  target: 'local' | 'aws';
  config: CliConfig;
  clients: CliClients;
  /** Document client over `clients.dynamo`, for the reads the store ports do not offer (audit, counts). */
  db: DynamoDBDocumentClient;
  /** The stores of the functions, built once on first use (loads the code key). */
  deps(): Promise<CliDeps>;
  /** The orders queue URL, when this environment names one. */
  ordersQueueUrl?: string;
  /** The orders DLQ URL: ORDERS_DLQ_URL (written by `npm start`, or set by the operator). */
  ordersDlqUrl?: string;
  close(): void;
}

const runtimeSchema = z.record(z.string(), z.string());

/**
 * Reads `<cwd>/.local/runtime.json` into process.env and checks the pipeline answers: a file left
 * behind by a killed `npm start` must not send the operator to a dead endpoint without saying so.
 */
async function applyLocalRuntime(cwd: string): Promise<void> {
  const file = join(cwd, RUNTIME_FILE);
  if (!existsSync(file)) {
    throw new CliError(
      `--local: ${file} not found, so no local pipeline is running here. Start one with \`npm start\` in another terminal ` +
        '(it writes that file once ready), and run the CLI from the same directory.',
    );
  }
  const parsed = runtimeSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success || !parsed.data.TABLE_NAME || !parsed.data.AWS_ENDPOINT_URL_DYNAMODB) {
    throw new CliError(`--local: ${file} is not a runtime file written by \`npm start\` (restart \`npm start\` to rewrite it).`);
  }
  const endpoint = parsed.data.AWS_ENDPOINT_URL_DYNAMODB;
  try {
    // Any HTTP answer will do: only a refused or hanging connection means the pipeline is gone.
    await fetch(endpoint, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new CliError(
      `--local: the local pipeline is not answering at ${endpoint}. Is \`npm start\` still running? ` +
        `(${file} is stale if it was killed; start it again to rewrite the file.)`,
    );
  }
  for (const [key, value] of Object.entries(parsed.data)) if (value !== '') process.env[key] = value;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Opens a connection for one CLI invocation; `close()` releases the SDK clients' sockets. */
export async function openConnection(options: { local?: boolean; cwd: string }): Promise<Connection> {
  if (options.local) await applyLocalRuntime(options.cwd);
  else if (!process.env.TABLE_NAME) {
    throw new CliError(
      'No StreamSync environment: run with --local to use the pipeline of `npm start`, or, for the deployed stack, ' +
        'set TABLE_NAME (stack output TableName), AWS_REGION and AWS credentials (e.g. AWS_PROFILE).',
    );
  }
  const env = process.env;
  let config: CliConfig;
  try {
    config = parseEnv(cliConfigSchema, env, 'environment');
  } catch (err) {
    throw new CliError(`${(err as Error).message} (see docs/cli.md, "Connecting")`);
  }
  // Endpoints come from AWS_ENDPOINT_URL_<SERVICE> locally; on AWS the defaults apply. The SQS client
  // must not take its endpoint from queue URLs: fauxqs's (http://sqs.<region>.127.0.0.1:<port>/…) do
  // not parse, and the SDK would print a warning on every call.
  const clients: CliClients = { dynamo: new DynamoDBClient({}), sqs: new SQSClient({ useQueueUrlAsEndpoint: false }) };
  let deps: Promise<CliDeps> | undefined;
  const build = async (): Promise<CliDeps> => {
    const secrets = createSecretReader(config);
    const stores = createStores(config, clients.dynamo, await loadCodeVault(config, secrets));
    return { ...stores, supplier: supplierCache(config, secrets), ...(config.ORDERS_QUEUE_URL && { orderQueue: new SqsOrderQueue(clients.sqs, config.ORDERS_QUEUE_URL) }) };
  };
  return {
    target: options.local ? 'local' : 'aws',
    config,
    clients,
    db: createDocumentClient(clients.dynamo),
    deps: () =>
      (deps ??= build().catch((err: Error) => {
        throw new CliError(`Could not load the code keys (${config.CODE_ID_KEY_SECRET_NAME}, CODE_KEYS ${config.CODE_KEYS}): ${err.message}`);
      })),
    ordersQueueUrl: env.ORDERS_QUEUE_URL || undefined,
    ordersDlqUrl: env.ORDERS_DLQ_URL || undefined,
    close: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
