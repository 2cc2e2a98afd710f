// The one Lambda construct every StreamSync function uses: runtime, bundling, tracing, logs, Powertools and the
// config contract live here once. Permissions are added with `grant…` / `bind…` helpers that also set the
// env var the handler reads, so an env var is present exactly when the function may use what it names.
import * as path from 'node:path';
import { ArnFormat, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING, LAMBDA_NODE_MAJOR, PROJECT_ROOT, aliasEsbuildArgs, functionBaseEnvironment, type PowertoolsLogLevel } from './bundling';
import { REQUIRED_CONFIG_KEYS, configDefault, type DeployedConfigKey } from './config-contract';
import type { ChannelModule } from '#adapters/channels/channel-module';
import { CODE_DATA_KEY_PURPOSE } from '#adapters/crypto/data-keys';
import type { DeployBinding } from '#adapters/module-kit';
import { REVEAL_MARK_ATTRIBUTES, REVEAL_STATUS_ATTRIBUTES } from '#adapters/dynamo/reveal-store';
import type { CodeKeys } from './data';
import { acknowledge, wildcardAction, wildcardResource } from './nag';

export { METRICS_NAMESPACE, PROJECT_ROOT, type PowertoolsLogLevel } from './bundling';

/** Lambda runtime of every function: the newest Node.js runtime this aws-cdk-lib knows (cdk-nag L1). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
if (FUNCTION_RUNTIME.name !== `nodejs${LAMBDA_NODE_MAJOR}.x`) {
  throw new Error(`lib/bundling.ts targets Node.js ${LAMBDA_NODE_MAJOR} but the functions run on ${FUNCTION_RUNTIME.name}`);
}

/** Resources whose names every function's config requires (TABLE_NAME, queue URLs, topic ARN). */
export interface StreamSyncResources {
  readonly table: dynamodb.ITable;
  readonly ordersQueue: sqs.IQueue;
  readonly reorderPollQueue: sqs.IQueue;
  readonly alertsTopic: sns.ITopic;
}

/** A secret whose name is fixed at synth time, so env vars and outputs carry the plain name. */
export interface NamedSecret {
  readonly secret: secretsmanager.ISecret;
  readonly name: string;
}

export interface StreamSyncFunctionProps {
  /** Handler module relative to the project root, e.g. `functions/webhook/handler.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name: the `service` key of every log line and a metrics dimension. */
  readonly serviceName: string;
  readonly resources: StreamSyncResources;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 'INFO' */
  readonly logLevel?: PowertoolsLogLevel;
  /** Retries of asynchronous invocations (schedules). @default Lambda's default (2) */
  readonly retryAttempts?: number;
}

const WILDCARD_KMS_ACTIONS = ['kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** What the back-end functions do to items (transactions are authorised per item by these). */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** A NodejsFunction with StreamSync's defaults: Node 24 on ARM64, CommonJS bundle, X-Ray, 1-month logs, Powertools. */
export class StreamSyncFunction extends NodejsFunction {
  /** Execution role, owned here so it carries no AWS managed policy (logs are granted on this log group only). */
  public readonly executionRole: iam.Role;
  private readonly resources: StreamSyncResources;
  private readonly configEnv = new Map<string, string>();

  constructor(scope: Construct, id: string, props: StreamSyncFunctionProps) {
    // Role and log group are siblings of the function: they must exist before the function is constructed.
    const executionRole = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    logGroup.grantWrite(executionRole);

    const { resources } = props;
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: executionRole,
      logGroup,
      retryAttempts: props.retryAttempts,
      environment: functionBaseEnvironment(props.serviceName, props.logLevel),
      // Options shared with the cold-start benchmark: lib/bundling.ts.
      bundling: {
        format: OutputFormat.CJS,
        target: FUNCTION_BUNDLING.target,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        // Only what the runtime provides: the AWS SDK v3 (@aws-sdk/*, @smithy/*).
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        esbuildArgs: aliasEsbuildArgs(FUNCTION_BUNDLING.aliases),
        logLevel: LogLevel.WARNING,
        // Bundle with the local esbuild only: no Docker on developer machines or CI.
        forceDockerBundling: false,
      },
    });
    this.executionRole = executionRole;
    this.resources = resources;

    // Required config (no default in config.ts): always set, or the handler cannot start.
    this.setConfig('TABLE_NAME', resources.table.tableName);
    this.setConfig('ORDERS_QUEUE_URL', resources.ordersQueue.queueUrl);
    this.setConfig('REORDER_POLL_QUEUE_URL', resources.reorderPollQueue.queueUrl);
    this.setConfig('ALERTS_TOPIC_ARN', resources.alertsTopic.topicArn);

    this.node.addValidation({
      validate: () =>
        REQUIRED_CONFIG_KEYS.filter((key) => !this.configEnv.has(key)).map(
          (key) => `${key} is required by functions/shared/config.ts but not set on ${this.node.path}`,
        ),
    });

    acknowledge(
      executionRole,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    );
  }

  /**
   * Read the stores' items and nothing else (the webhook: the product and variant map): `GetItem` and
   * `BatchGetItem` on partition keys starting with STORE#. No query, no scan, no index: an order's
   * customer contact, a code or a reorder is out of reach of this internet-facing function.
   */
  public grantStoreItemsRead(): this {
    this.grantItemActions(['dynamodb:GetItem', 'dynamodb:BatchGetItem'], ['STORE#*']);
    this.resources.table.encryptionKey?.grant(this, 'kms:Decrypt', 'kms:DescribeKey');
    return this;
  }

  /**
   * Read and write items and query both GSIs, as the delivery and restock cores do: CDK's read/write
   * grant without `Scan` (only the operator CLI's audit scans) and without the stream reads (the event
   * source grants those on the stream alone). Includes the table key's encrypt/decrypt permissions.
   */
  public grantTableItems(): this {
    const table = this.resources.table;
    this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...TABLE_ITEM_ACTIONS], resources: [table.tableArn] }));
    // An index can only be queried: the items are written through the table.
    this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/*`] }));
    this.acknowledgeTableIndexes();
    return this.grantTableKey();
  }

  /**
   * Write the webhook's delivery markers (the edge dedupe) and nothing else: conditional updates and
   * deletes on items whose partition key starts with DELIVERY#.
   */
  public grantDeliveryMarkers(): this {
    return this.grantItemActions(['dynamodb:UpdateItem', 'dynamodb:DeleteItem'], ['DELIVERY#*']);
  }

  /**
   * What the reveal page does and nothing else: read link grants (REVEAL#) and the code they point at
   * (CODES#, its shard, or SKU# for codes stored before code items were sharded), read whether the
   * order unit was revealed (ORDER#, only the attributes that say so: an order item also holds the
   * customer's contact), and mark it revealed, item by item (no query, no index, no delete). The
   * table key's use comes with it, as CDK grants it for writes.
   */
  public grantRevealPage(): this {
    this.grantItemActions(['dynamodb:GetItem'], ['REVEAL#*', 'CODES#*', 'SKU#*']);
    this.grantItemActions(['dynamodb:GetItem'], ['ORDER#*'], REVEAL_STATUS_ATTRIBUTES);
    // The mark alone: `revealedAt` set under its condition, nothing returned, so this internet-facing
    // function can neither rewrite an order (its contact, a unit's state) nor read one back whole.
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [this.resources.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ORDER#*'] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...REVEAL_MARK_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
    return this.grantTableKey();
  }

  /**
   * What the write-back does on the table and nothing else, item by item (no query, no index, no scan),
   * by partition prefix: its state on the order (`ORDER#…` / META: the lease and the record) and the
   * per-store pacer buckets (`PACE#…`), both conditional updates; the store's settings (`STORE#…` /
   * SETTINGS, read) and the OAuth refresh lock beside them (`STORE#…` / TOKEN_LOCK#…, a conditional put
   * and delete). The table key's use comes with it, as CDK grants it for writes.
   */
  public grantWriteBackItems(): this {
    this.grantItemActions(['dynamodb:UpdateItem'], ['ORDER#*', 'PACE#*']);
    this.grantItemActions(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], ['STORE#*']);
    return this.grantTableKey();
  }

  /** Use of the table's customer-managed key for item reads and writes (what CDK's table grants add). */
  private grantTableKey(): this {
    const key = this.resources.table.encryptionKey;
    if (key) {
      key.grant(this, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
      this.acknowledgeKmsActions('the customer-managed key of the table (reads and writes of encrypted items)');
    }
    return this;
  }

  /**
   * `actions` on the table's items whose partition key matches one of `leadingKeys` (DynamoDB's fine-grained
   * access); with `attributes`, a read may ask for those attributes only (a projection is then required).
   */
  private grantItemActions(actions: string[], leadingKeys: string[], attributes?: readonly string[]): this {
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions,
        resources: [this.resources.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys },
          ...(attributes && {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
            StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          }),
        },
      }),
    );
    return this;
  }

  /** Shorten the visibility timeout of failed orders-queue records: the retry backoff. */
  public grantRetryBackoff(): this {
    this.resources.ordersQueue.grant(this, 'sqs:ChangeMessageVisibility');
    return this;
  }

  /** Send messages to the orders queue (webhook enqueues orders; delivery and restock re-enqueue units). */
  public grantSendOrders(): this {
    this.resources.ordersQueue.grantSendMessages(this);
    return this;
  }

  /** Send (delayed) messages to the reorder-poll queue. */
  public grantSendReorderPolls(): this {
    this.resources.reorderPollQueue.grantSendMessages(this);
    return this;
  }

  /**
   * WRITE_BACK_QUEUE_URL + sqs:SendMessage on the write-back queue (delivery enqueues delivered orders; the
   * write-back function re-enqueues its paced and retried ones, delayed). Consuming it is the event source's grant.
   */
  public bindWriteBackQueue(queue: sqs.IQueue): this {
    this.setConfig('WRITE_BACK_QUEUE_URL', queue.queueUrl);
    queue.grant(this, 'sqs:SendMessage');
    return this;
  }

  /** Publish merchant alerts (stock-outs, backorders, failed reorders) to the KMS-encrypted alerts topic. */
  public grantPublishAlerts(): this {
    this.resources.alertsTopic.grantPublish(this);
    this.acknowledgeKmsActions('the customer-managed key of the alerts topic (SNS publish to an encrypted topic)');
    return this;
  }

  /** WEBHOOK_SECRET_PREFIX + read access to every per-store webhook secret under it. */
  public bindWebhookSecrets(): this {
    return this.bindSecretPrefix(
      'WEBHOOK_SECRET_PREFIX',
      'Per-store webhook secrets are created by the merchant for each Salla merchant / Zid store after deploy, so their names are only known by prefix.',
    );
  }

  /** WEBHOOK_APP_SECRET_PREFIX + read access to each platform app's one webhook secret (Salla signs every store's webhooks with it). */
  public bindWebhookAppSecrets(): this {
    return this.bindSecretPrefix(
      'WEBHOOK_APP_SECRET_PREFIX',
      "An app-wide webhook secret per platform (<prefix><platform>), created by the merchant after deploy when they run a Salla app in Easy Mode; known by prefix.",
    );
  }

  /** SUPPLIER_SECRET_PREFIX + read access to every supplier credential secret under it. */
  public bindSupplierSecrets(): this {
    return this.bindSecretPrefix(
      'SUPPLIER_SECRET_PREFIX',
      'Supplier credentials (one secret per supplier adapter) are created by the merchant after deploy, so their names are only known by prefix.',
    );
  }

  /**
   * STORE_TOKEN_SECRET_PREFIX + the token vault's access to the stores' platform API tokens under it
   * (`<prefix><platform>/<storeId>`): read a set, save a refreshed one as a new version, create the secret
   * of a store's first set. No delete, no policy or tag changes, nothing outside the prefix.
   */
  public bindStoreTokens(use: 'refresh' | 'install' = 'refresh'): this {
    const prefix = configDefault('STORE_TOKEN_SECRET_PREFIX');
    this.setConfig('STORE_TOKEN_SECRET_PREFIX', prefix);
    const arn = this.secretArn(`${prefix}*`);
    // An install (the webhook's Easy Mode event) only writes a set; a refresher reads it too.
    const actions = [...(use === 'refresh' ? ['secretsmanager:GetSecretValue'] : []), 'secretsmanager:PutSecretValue', 'secretsmanager:CreateSecret'];
    this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [arn] }));
    acknowledge(
      this.executionRole,
      wildcardResource(this, arn),
      `One secret per store and platform, created when a merchant installs the app (or by the token vault on a store's first refresh), so their names are only known by prefix. Read, new versions and creation only, limited to the ${prefix} prefix.`,
    );
    return this;
  }

  /**
   * PLATFORM_APP_SECRET_PREFIX + read access to the OAuth client of each given platform's app
   * (`<prefix><platform>`, `{"clientId","clientSecret"}`): those exact secrets, no prefix wildcard.
   */
  public bindPlatformApps(platforms: readonly string[]): this {
    const prefix = configDefault('PLATFORM_APP_SECRET_PREFIX');
    this.setConfig('PLATFORM_APP_SECRET_PREFIX', prefix);
    if (platforms.length === 0) return this;
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: platforms.map((platform) => this.secretArn(`${prefix}${platform}-??????`)) }),
    );
    return this;
  }

  /**
   * The codes' keys: CODE_KEYS (every version's key ARN), CODE_KEY_VERSION, the id key secret, and on the
   * KMS keys exactly what `use` needs, only for the codes' encryption context. `seal` (adds codes):
   * `kms:GenerateDataKey` on the current version, no Decrypt, so it can never read a stored code.
   * `open` (sends or reveals codes): `kms:Decrypt` on every version, and the legacy key if configured.
   */
  public bindCodeKeys(codeKeys: CodeKeys, use: 'seal' | 'open'): this {
    this.setConfig('CODE_KEYS', codeKeys.versions.map(({ version, key }) => `${version}=${key.keyArn}`).join(','));
    this.setConfig('CODE_KEY_VERSION', codeKeys.current);
    this.setConfig('CODE_ID_KEY_SECRET_NAME', codeKeys.idKey.name);
    codeKeys.idKey.secret.grantRead(this);
    const codesOnly = { StringEquals: { 'kms:EncryptionContext:purpose': CODE_DATA_KEY_PURPOSE } };
    if (use === 'seal') {
      const current = codeKeys.versions.find(({ version }) => version === codeKeys.current)!;
      this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [current.key.keyArn], conditions: codesOnly }));
    } else {
      this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: codeKeys.versions.map(({ key }) => key.keyArn), conditions: codesOnly }));
      if (codeKeys.legacy) {
        this.setConfig('LEGACY_CODE_KEY_SECRET_NAME', codeKeys.legacy.name);
        codeKeys.legacy.secret.grantRead(this);
      }
    }
    return this;
  }

  /** CHANNEL=<names, in chain order> and everything each channel module's binding asks for (env vars and grants together). */
  public bindChannels(modules: readonly ChannelModule[]): this {
    this.setConfig('CHANNEL', modules.map((module) => module.name).join(','));
    for (const module of modules) {
      if (!module.deploy) throw new Error(`Channel "${module.name}" has no deploy binding: it runs locally only`);
      this.applyBinding(module.name, module.deploy);
    }
    return this;
  }

  /**
   * Applies an adapter module's binding: its parameters (one per stack, shared by name), env vars, secret
   * reads and IAM statements. Each module's statements get a policy of their own, so a wildcard it needs
   * is acknowledged on that policy with the module's reason, never on the whole role.
   */
  public applyBinding(owner: string, binding: DeployBinding): this {
    const stack = Stack.of(this);
    const parameter = (name: string): CfnParameter => {
      const spec = binding.parameters?.[name];
      const existing = stack.node.tryFindChild(name);
      if (existing instanceof CfnParameter) return existing;
      if (!spec) throw new Error(`${owner}: parameter ${name} is used but not declared in its binding`);
      return new CfnParameter(stack, name, { type: 'String', description: spec.description, default: spec.default, allowedPattern: spec.allowedPattern });
    };
    for (const [key, value] of Object.entries(binding.env ?? {})) {
      this.addModuleEnvironment(key, typeof value === 'string' ? value : parameter(value.parameter).valueAsString);
    }
    for (const secret of binding.secrets ?? []) {
      const arn = stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: secret.prefix ? `${secret.name}*` : `${secret.name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
      acknowledge(this.executionRole, wildcardResource(this, arn), `${owner}: ${secret.why}`);
    }
    if (binding.statements?.length) {
      // ARN templates: ${Partition}, ${Region}, ${AccountId} and ${param:<Name>} (a parameter of the binding).
      const arnOf = (template: string) =>
        template === '*'
          ? '*'
          : Fn.sub(template.replace(/\$\{(Partition|Region|AccountId)\}/g, '${AWS::$1}').replace(/\$\{param:([A-Za-z0-9]+)\}/g, (_m, name: string) => `\${${parameter(name).logicalId}}`));
      const policy = new iam.Policy(this, `${owner.replace(/[^A-Za-z0-9]/g, '')}Access`, {
        statements: binding.statements.map(
          (statement) => new iam.PolicyStatement({ actions: [...statement.actions], resources: statement.resources.map(arnOf), conditions: statement.conditions as Record<string, unknown> | undefined }),
        ),
      });
      policy.attachToRole(this.executionRole);
      for (const statement of binding.statements) {
        for (const resource of statement.resources.filter((r) => r.includes('*'))) {
          acknowledge(policy, resource === '*' ? 'AwsSolutions-IAM5[Resource::*]' : wildcardResource(this, arnOf(resource)), `${owner}: ${statement.why}`);
        }
      }
    }
    return this;
  }

  /** Sets one env var of the config contract (typed against functions/wiring/config.ts). */
  public setConfig(key: DeployedConfigKey, value: string): this {
    this.configEnv.set(key, value);
    this.addEnvironment(key, value);
    return this;
  }

  /** An env var of an adapter module's own config (checked by the module when the function uses it). */
  private addModuleEnvironment(key: string, value: string): void {
    if (this.configEnv.has(key)) throw new Error(`${key} is set twice on ${this.node.path}`);
    this.configEnv.set(key, value);
    this.addEnvironment(key, value);
  }

  /** ARN of the secrets named `resourceName` in this stack's account and region (Secrets Manager adds `-??????` to a name). */
  private secretArn(resourceName: string): string {
    return Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  private bindSecretPrefix(key: 'WEBHOOK_SECRET_PREFIX' | 'WEBHOOK_APP_SECRET_PREFIX' | 'SUPPLIER_SECRET_PREFIX', why: string): this {
    const prefix = configDefault(key);
    this.setConfig(key, prefix);
    const arn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }),
    );
    acknowledge(this.executionRole, wildcardResource(this, arn), `${why} Read-only, limited to the ${prefix} prefix.`);
    return this;
  }

  private acknowledgeTableIndexes(): void {
    acknowledge(
      this.executionRole,
      wildcardResource(this, `${this.resources.table.tableArn}/index/*`),
      'Queries the table GSIs (available, kind); the index ARNs are children of this one table only.',
    );
  }

  private acknowledgeKmsActions(usage: string): void {
    for (const action of WILDCARD_KMS_ACTIONS) {
      acknowledge(
        this.executionRole,
        wildcardAction(action),
        `CDK grant on ${usage}: ${action} is scoped to that single key ARN.`,
      );
    }
  }
}
