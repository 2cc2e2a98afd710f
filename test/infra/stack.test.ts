// Infra layer: the StreamSync stack synthesized once, exactly as `cdk synth` does (same app factory, cdk.json
// context, local esbuild bundling, cdk-nag AwsSolutions), then asserted resource by resource.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { AVAILABLE_INDEX, KIND_INDEX, TABLE_KEYS } from '#adapters/dynamo/table-schema';
import { BUNDLE_BYTES_BUDGET } from '#lib/bundling';
import { REQUIRED_CONFIG_KEYS } from '#lib/config-contract';
import { createApp } from '#lib/streamsync-app';
import type { StreamSyncFunction } from '#lib/streamsync-function';
import type { StreamSyncStack } from '#lib/streamsync-stack';
import { functionsOf } from './stack-functions';

const ROOT = path.resolve(__dirname, '..', '..');
const cdkContext = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

let stack: StreamSyncStack;
let template: Template;
let assembly: CloudAssembly | undefined;
let nagError: Error | undefined;
let synthMs = 0;

beforeAll(() => {
  const started = Date.now();
  const built = createApp({ context: cdkContext });
  stack = built.stack;
  try {
    // cdk-nag 3 is a validation plugin: unacknowledged findings make synth throw with the report.
    assembly = built.app.synth();
    template = Template.fromStack(stack);
  } catch (err) {
    nagError = err as Error;
    // Still assert the template, from an app without the plugin, so one finding doesn't hide everything else.
    const plain = createApp({ context: cdkContext }, { nag: false });
    stack = plain.stack;
    assembly = plain.app.synth();
    template = Template.fromStack(stack);
  }
  synthMs = Date.now() - started;
}, 120_000);

/** `{ Ref }` / `{ Fn::GetAtt }` of a token, as it appears in the template. */
const ref = (value: string): unknown => stack.resolve(value);
const logicalId = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as never);

const functions = () => functionsOf(stack);

const envOf = (fn: StreamSyncFunction): Record<string, unknown> =>
  template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;

/** Statements of the default policy of a function's execution role. */
const roleStatements = (fn: StreamSyncFunction): Array<Record<string, unknown>> => {
  const roleId = logicalId(fn.executionRole);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
};

const secretPatternArn = (prefix: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:secret:${prefix}*`],
  ],
});

describe('cdk-nag AwsSolutions', () => {
  test('synthesizing the app has no unacknowledged findings', () => {
    expect(nagError?.message).toBeUndefined();
    // Warnings do not fail synth; the report must not hold any AwsSolutions entry either.
    const report = JSON.parse(readFileSync(path.join(assembly!.directory, 'validation-report.json'), 'utf8'));
    const nagReports = report.pluginReports.filter((r: { pluginName?: string }) => /AwsSolutions/i.test(r.pluginName ?? ''));
    expect(nagReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])).toEqual([]);
  });

  test('synth (with bundling) stays fast', () => {
    // Measured ~5-8 s on 2 cores; the bound only catches a regression such as Docker bundling.
    expect(synthMs).toBeLessThan(60_000);
  });
});

describe('functions', () => {
  test('seven functions share the StreamSyncFunction defaults', () => {
    template.resourceCountIs('AWS::Lambda::Function', 7);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      MemorySize: 512,
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: Match.anyValue(),
          POWERTOOLS_METRICS_NAMESPACE: 'StreamSync',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  test('every function gets every required config key, with the real resource names', () => {
    expect(REQUIRED_CONFIG_KEYS).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'ORDERS_QUEUE_URL', 'REORDER_POLL_QUEUE_URL', 'ALERTS_TOPIC_ARN']),
    );
    for (const fn of Object.values(functions())) {
      const env = envOf(fn);
      for (const key of REQUIRED_CONFIG_KEYS) expect(env).toHaveProperty(key);
      expect(env.TABLE_NAME).toEqual(ref(stack.data.table.tableName));
      expect(env.ORDERS_QUEUE_URL).toEqual(ref(stack.queues.orders.queueUrl));
      expect(env.REORDER_POLL_QUEUE_URL).toEqual(ref(stack.queues.reorderPoll.queueUrl));
      expect(env.ALERTS_TOPIC_ARN).toEqual(ref(stack.observability.alertsTopic.topicArn));
      expect(env).not.toHaveProperty('LOCAL_SECRETS_JSON');
    }
  });

  test('optional config is set exactly where its permission is granted', () => {
    const f = functions();
    expect(envOf(f.webhook)).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'webhook', WEBHOOK_SECRET_PREFIX: 'streamsync/webhook/' });
    for (const fn of [f.webhook, f.writeBack]) for (const key of ['CODE_ID_KEY_SECRET_NAME', 'CODE_KEYS', 'CODE_KEY_VERSION']) expect(envOf(fn)).not.toHaveProperty(key);
    expect(envOf(f.delivery)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'delivery',
      CODE_ID_KEY_SECRET_NAME: 'streamsync/code-id-key',
      CODE_KEY_VERSION: '1',
      CHANNEL: 'sms-eum',
    });
    for (const fn of [f.restockStream, f.restockPoll, f.restockSweep]) {
      expect(envOf(fn)).toMatchObject({ CODE_ID_KEY_SECRET_NAME: 'streamsync/code-id-key', SUPPLIER_SECRET_PREFIX: 'streamsync/supplier/' });
    }
    // Links are issued by delivery only, and point at the API's stage (the reveal route).
    expect(envOf(f.delivery).REVEAL_BASE_URL).toEqual(ref(stack.ingest.stage.url));
    for (const fn of [f.webhook, f.restockStream, f.restockPoll, f.restockSweep, f.reveal]) expect(envOf(fn)).not.toHaveProperty('REVEAL_BASE_URL');
    expect(envOf(f.reveal)).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'reveal', CODE_ID_KEY_SECRET_NAME: 'streamsync/code-id-key' });
    for (const key of ['WEBHOOK_SECRET_PREFIX', 'SUPPLIER_SECRET_PREFIX', 'CHANNEL']) expect(envOf(f.reveal)).not.toHaveProperty(key);
    // The write-back queue is named to its producer (delivery) and its consumer only. The token vault to
    // the store API's users (write-back, delivery's payment check) and the webhook (Easy Mode installs);
    // the app secrets to the API's users only.
    expect(envOf(f.delivery).WRITE_BACK_QUEUE_URL).toEqual(ref(stack.queues.writeBack.queueUrl));
    for (const fn of [f.webhook, f.restockStream, f.restockPoll, f.restockSweep, f.reveal]) expect(envOf(fn)).not.toHaveProperty('WRITE_BACK_QUEUE_URL');
    for (const fn of [f.restockStream, f.restockPoll, f.restockSweep, f.reveal]) {
      for (const key of ['STORE_TOKEN_SECRET_PREFIX', 'PLATFORM_APP_SECRET_PREFIX']) expect(envOf(fn)).not.toHaveProperty(key);
    }
    expect(envOf(f.webhook)).not.toHaveProperty('PLATFORM_APP_SECRET_PREFIX');
    expect(envOf(f.webhook).STORE_TOKEN_SECRET_PREFIX).toBe('streamsync/store-tokens/');
    expect(envOf(f.delivery).PLATFORM_APP_SECRET_PREFIX).toBe('streamsync/platform-app/');
  });

  test('logs: one log group per function (and the API access log), kept one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 8);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('execution roles carry no AWS managed policy', () => {
    template.resourceCountIs('AWS::IAM::Role', 7);
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('bundles are minified CommonJS with source maps, built by local esbuild', () => {
    const outdir = assembly?.directory;
    expect(outdir).toBeDefined();
    const bundles = readdirSync(outdir!)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => path.join(outdir!, entry, 'index.js'))
      .filter((file) => existsSync(file));
    expect(bundles).toHaveLength(7);
    for (const file of bundles) {
      const code = readFileSync(file, 'utf8');
      expect(code).not.toMatch(/^import /m);
      expect(code).toContain('//# sourceMappingURL=index.js.map');
      expect(existsSync(`${file}.map`)).toBe(true);
    }
  });

  test('bundles stay under the size budget, with the AWS SDK left to the runtime (bench/cold-start measures them)', () => {
    const bundles = readdirSync(assembly!.directory)
      .map((entry) => path.join(assembly!.directory, entry, 'index.js'))
      .filter((file) => existsSync(file));
    expect(bundles).toHaveLength(7);
    const oversized = bundles.map((file) => ({ asset: path.basename(path.dirname(file)), bytes: statSync(file).size })).filter((b) => b.bytes >= BUNDLE_BYTES_BUDGET);
    expect(oversized).toEqual([]);
    for (const file of bundles) expect(readFileSync(file, 'utf8')).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
  });
});

describe('ingest', () => {
  test('HTTP API with POST routes for Salla and Zid, both to the webhook function', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    // The two webhooks, and the reveal page's GET and POST (asserted under `reveal`).
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 4);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/salla', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/zid', AuthorizationType: 'NONE' });
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: ref(stack.ingest.handler.functionArn),
      PayloadFormatVersion: '2.0',
    });
  });

  test('default stage is throttled and access-logged', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 300, ThrottlingBurstLimit: 600 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
    });
  });

  test('webhook function: send to orders, read the store items (STORE#) only, read webhook secrets by prefix', () => {
    const statements = roleStatements(stack.ingest.handler);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['sqs:SendMessage']), Resource: ref(stack.queues.orders.queueArn) }),
        expect.objectContaining({ Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['STORE#*'] } } }),
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: expect.arrayContaining([secretPatternArn('streamsync/webhook/'), secretPatternArn('streamsync/webhook-app/')]) }),
        // Easy Mode installs: writes only, never a read of a store's tokens.
        expect.objectContaining({ Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], Resource: secretPatternArn('streamsync/store-tokens/') }),
      ]),
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:Query');
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('sns:Publish');
  });
});

describe('reveal', () => {
  const REVEAL_KEYS = ['GET /c/{token}', 'POST /c/{token}'];

  test('GET and POST /c/{token} on the same HTTP API, to the reveal function (GET opens the link, POST shows the code)', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration', { Properties: { IntegrationUri: ref(stack.reveal.handler.functionArn) } });
    expect(Object.values(integrations)).toEqual([expect.objectContaining({ Properties: expect.objectContaining({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' }) })]);
    const [integrationId] = Object.keys(integrations);
    for (const key of REVEAL_KEYS) {
      const routes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } });
      expect(Object.values(routes)).toEqual([
        expect.objectContaining({
          Properties: expect.objectContaining({ ApiId: ref(stack.ingest.api.apiId), AuthorizationType: 'NONE', Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] } }),
        }),
      ]);
    }
    // No other method reaches the page (a PUT or DELETE of a link is a 404 at the gateway).
    const others = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => String(r.Properties.RouteKey).endsWith(' /c/{token}'));
    expect(others.map((r) => r.Properties.RouteKey).sort()).toEqual(REVEAL_KEYS);
  });

  test('each route has its own throttle, below the stage\'s, set once the routes exist', () => {
    const stages = template.findResources('AWS::ApiGatewayV2::Stage');
    const [[stageId, stage]] = Object.entries(stages);
    expect(stage.Properties.RouteSettings).toEqual(Object.fromEntries(REVEAL_KEYS.map((key) => [key, { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }])));
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 300, ThrottlingBurstLimit: 600 });
    for (const key of REVEAL_KEYS) {
      expect(stage.DependsOn).toEqual(expect.arrayContaining(Object.keys(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }))));
    }
    expect(stageId).toBeDefined();
  });

  test('grants: get link grants and codes, read a unit\'s reveal status and mark it revealed (those attributes only, nothing returned), by partition prefix; the code key; nothing else', () => {
    const statements = roleStatements(stack.reveal.handler);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')));
    const leadingKeys = (keys: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } });
    expect(dynamo.map((s) => ({ Action: s.Action, Resource: s.Resource, Condition: s.Condition }))).toEqual([
      { Action: 'dynamodb:GetItem', Resource: ref(stack.data.table.tableArn), Condition: leadingKeys(['REVEAL#*', 'CODES#*', 'SKU#*']) },
      // An ORDER# item also holds the customer's contact: the reveal function may read only what says whether the unit was revealed.
      {
        Action: 'dynamodb:GetItem',
        Resource: ref(stack.data.table.tableArn),
        Condition: {
          ...leadingKeys(['ORDER#*']),
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'state', 'codeId', 'revealedAt', 'sendStartedAt'] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      },
      // The mark only: `revealedAt` under its condition, nothing returned (no contact rewritten or read back).
      {
        Action: 'dynamodb:UpdateItem',
        Resource: ref(stack.data.table.tableArn),
        Condition: {
          ...leadingKeys(['ORDER#*']),
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'revealedAt', 'codeId', 'state', 'sendStartedAt'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      },
    ]);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['secretsmanager:GetSecretValue']), Resource: ref(stack.data.codeKeys.idKey.secret.secretArn) }),
        expect.objectContaining({ Action: 'kms:Decrypt', Resource: ref(stack.data.codeKeys.versions[0].key.keyArn) }),
      ]),
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const never of ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Scan', 'sqs:SendMessage', 'sns:Publish']) expect(actions).not.toContain(never);
  });

  test('its errors are alarmed like every function\'s', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: ref(stack.reveal.handler.functionName) }] });
  });
});

describe('queues', () => {
  test('orders queue: SSE, DLQ after 5 receives, visibility six times the delivery timeout', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: ref(stack.queues.ordersDlq.queueArn), maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: ref(stack.queues.reorderPollDlq.queueArn), maxReceiveCount: 5 },
    });
  });

  test('write-back queue: SSE, DLQ after 5 receives, visibility six times the write-back timeout', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: ref(stack.queues.writeBackDlq.queueArn), maxReceiveCount: 5 },
    });
    expect(template.toJSON().Resources[logicalId(stack.writeBack.handler)].Properties.Timeout).toBe(30);
  });

  test('dead-letter queues keep messages 14 days; every queue is encrypted and TLS-only', () => {
    template.resourceCountIs('AWS::SQS::Queue', 7);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const dlq of [stack.queues.ordersDlq, stack.queues.reorderPollDlq, stack.queues.writeBackDlq, stack.queues.restockFailures]) {
      expect(template.toJSON().Resources[logicalId(dlq)].Properties.MessageRetentionPeriod).toBe(1_209_600);
    }
    template.resourceCountIs('AWS::SQS::QueuePolicy', 7);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('delivery', () => {
  test('SQS event source: batches of 10, no batching window (latency first), partial batch failures, bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.queues.orders.queueArn),
      FunctionName: ref(stack.delivery.handler.functionName),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  test('grants: table read/write, orders send, alerts publish, code key, SMS from the origination identity', () => {
    const statements = roleStatements(stack.delivery.handler);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:Query']) }),
        expect.objectContaining({ Action: expect.arrayContaining(['sqs:SendMessage']), Resource: ref(stack.queues.orders.queueArn) }),
        expect.objectContaining({ Action: 'sns:Publish', Resource: ref(stack.observability.alertsTopic.topicArn) }),
        expect.objectContaining({
          Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
          Resource: ref(stack.data.codeKeys.idKey.secret.secretArn),
        }),
        expect.objectContaining({ Action: 'kms:Decrypt', Resource: ref(stack.data.codeKeys.versions[0].key.keyArn) }),
        expect.objectContaining({
          Action: expect.arrayContaining(['kms:Decrypt']),
          Resource: ref(stack.data.key.keyArn),
        }),
      ]),
    );
    // SMS from the origination identity (the default sms-eum), never sns:Publish on "*".
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack.delivery.handler.executionRole) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sms-voice:SendTextMessage', Effect: 'Allow' })] },
    });
    expect(statements.filter((s) => s.Action === 'sns:Publish' && s.Resource === '*')).toEqual([]);
  });

  test('enqueues delivered orders for the write-back: sqs:SendMessage on the write-back queue, nothing else on it', () => {
    const onWriteBack = roleStatements(stack.delivery.handler).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(ref(stack.queues.writeBack.queueArn)));
    expect(onWriteBack.map((s) => s.Action)).toEqual(['sqs:SendMessage']);
    expect(envOf(stack.delivery.handler).WRITE_BACK_QUEUE_URL).toEqual(ref(stack.queues.writeBack.queueUrl));
  });
});

describe('write-back', () => {
  const fn = () => stack.writeBack.handler;
  const secretStatements = () => roleStatements(fn()).filter((s) => [s.Action].flat().some((a) => String(a).startsWith('secretsmanager:')));

  test('the function: its handler, the write-back queue, its token and app secret prefixes, no code key and no channel', () => {
    const env = envOf(fn());
    expect(env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'write-back',
      WRITE_BACK_QUEUE_URL: ref(stack.queues.writeBack.queueUrl),
      STORE_TOKEN_SECRET_PREFIX: 'streamsync/store-tokens/',
      PLATFORM_APP_SECRET_PREFIX: 'streamsync/platform-app/',
    });
    for (const key of ['CODE_ID_KEY_SECRET_NAME', 'CODE_KEYS', 'CHANNEL', 'WEBHOOK_SECRET_PREFIX', 'SUPPLIER_SECRET_PREFIX', 'REVEAL_BASE_URL']) expect(env).not.toHaveProperty(key);
    const resource = template.toJSON().Resources[logicalId(fn())];
    expect(resource.Properties.Handler).toBe('index.handler');
  });

  test('SQS event source: batches of 10, partial batch failures, at most 5 at a time', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.queues.writeBack.queueArn),
      FunctionName: ref(fn().functionName),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  test('table: item actions by partition prefix only (ORDER#/PACE# updates; STORE# settings read, token lock put/delete), no query, scan or index', () => {
    const statements = roleStatements(fn());
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')));
    const leadingKeys = (keys: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } });
    expect(dynamo.map((s) => ({ Action: s.Action, Resource: s.Resource, Condition: s.Condition }))).toEqual([
      { Action: 'dynamodb:UpdateItem', Resource: ref(stack.data.table.tableArn), Condition: leadingKeys(['ORDER#*', 'PACE#*']) },
      { Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], Resource: ref(stack.data.table.tableArn), Condition: leadingKeys(['STORE#*']) },
    ]);
    // Encrypted items: the table's key, and no other key.
    const kms = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('kms:')));
    expect(kms.map((s) => s.Resource)).toEqual(expect.arrayContaining([ref(stack.data.key.keyArn)]));
    for (const s of kms) expect([ref(stack.data.key.keyArn), ref(stack.observability.alertsKey.keyArn)]).toContainEqual(s.Resource);
  });

  test('Secrets Manager: the token vault on streamsync/store-tokens/*, each platform app\'s client by exact name; nothing else', () => {
    const secretArn = (name: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:secret:${name}`]],
    });
    expect(secretStatements().map((s) => ({ Action: s.Action, Resource: s.Resource }))).toEqual([
      { Action: ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: secretPatternArn('streamsync/store-tokens/') },
      { Action: 'secretsmanager:GetSecretValue', Resource: [secretArn('streamsync/platform-app/salla-??????'), secretArn('streamsync/platform-app/zid-??????')] },
    ]);
    // Only under the two prefixes.
    const names = secretStatements()
      .flatMap((s) => [s.Resource].flat())
      .map((r) => JSON.stringify(r).match(/:secret:([^"]+)/)![1]);
    for (const name of names) expect(name).toMatch(/^streamsync\/(store-tokens|platform-app)\//);
  });

  test('no access to the code keys: not the id key, not a KMS code key, not by name, not through any statement', () => {
    const statements = roleStatements(fn());
    const json = JSON.stringify(statements);
    expect(json).not.toContain(JSON.stringify(ref(stack.data.codeKeys.idKey.secret.secretArn)));
    expect(json).not.toContain(JSON.stringify(ref(stack.data.codeKeys.versions[0].key.keyArn)));
    expect(json).not.toContain('code-id-key');
    for (const s of secretStatements()) expect([s.Resource].flat()).not.toContainEqual(ref(stack.data.codeKeys.idKey.secret.secretArn));
    // What is left on "*" is what every function has (X-Ray traces).
    const onAnything = statements.filter((s) => [s.Resource].flat().includes('*')).flatMap((s) => [s.Action].flat());
    expect(onAnything.filter((a) => !String(a).startsWith('xray:'))).toEqual([]);
  });

  test('SQS: consumes and re-sends on its own queue only; publishes alerts; nothing of the other queues', () => {
    const statements = roleStatements(fn());
    const sqsStatements = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('sqs:')));
    for (const s of sqsStatements) expect(s.Resource).toEqual(ref(stack.queues.writeBack.queueArn));
    const sqsActions = sqsStatements.flatMap((s) => [s.Action].flat());
    expect(sqsActions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'sns:Publish', Resource: ref(stack.observability.alertsTopic.topicArn) })]));
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const never of ['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem', 'secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy']) expect(actions).not.toContain(never);
  });

  test('alarms: its errors, its DLQ and the age of the oldest write-back', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: ref(fn().functionName) }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: ref(stack.queues.writeBackDlq.queueName) }],
      Threshold: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: ref(stack.queues.writeBack.queueName) }],
      Threshold: 1800,
    });
  });
});

describe('data', () => {
  test('one table: keys from table-schema, on demand, stream, PITR, customer-managed KMS, protected', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref(stack.data.key.keyArn) },
      DeletionProtectionEnabled: true,
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('GSIs: available (KEYS_ONLY) and kind (ALL)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: AVAILABLE_INDEX.name,
          KeySchema: [
            { AttributeName: AVAILABLE_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: AVAILABLE_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: KIND_INDEX.name,
          KeySchema: [
            { AttributeName: KIND_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: KIND_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: AVAILABLE_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: KIND_INDEX.partitionKey, AttributeType: 'S' },
      ]),
    });
  });

  test('code id key secret: fixed name, data CMK, generated 43 base64-alphabet chars (32 bytes), retained', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Name: 'streamsync/code-id-key',
        KmsKeyId: ref(stack.data.key.keyArn),
        GenerateSecretString: { PasswordLength: 43, ExcludePunctuation: true, IncludeSpace: false },
      }),
    });
    expect(Buffer.from('A'.repeat(43), 'base64')).toHaveLength(32);
  });
});

describe('inventory', () => {
  test('stream event source: bisect, 5 retries, max record age, partial failures, on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.data.table.tableStreamArn!),
      FunctionName: ref(stack.inventory.streamHandler.functionName),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: ref(stack.queues.restockFailures.queueArn) } },
    });
  });

  test('restock stream is filtered to code changes and new backorders', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { Keys: { sk: { S: [{ prefix: 'CODE#' }] } } } }) },
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'BACKORDER#' }] } } } }) },
        ],
      },
    });
  });

  test('reorder-poll queue drives the poll function with partial batch failures', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.queues.reorderPoll.queueArn),
      FunctionName: ref(stack.inventory.pollHandler.functionName),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('sweep runs every minute, without async retries', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: ref(stack.inventory.sweepHandler.functionArn) })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(stack.inventory.sweepHandler.functionName),
      MaximumRetryAttempts: 0,
    });
  });

  test('restock functions: table rw, both queues, alerts, code key, supplier secrets by prefix', () => {
    for (const fn of [stack.inventory.streamHandler, stack.inventory.pollHandler, stack.inventory.sweepHandler]) {
      const statements = roleStatements(fn);
      const sendTo = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage')).flatMap((s) => [s.Resource].flat());
      expect(sendTo).toEqual(expect.arrayContaining([ref(stack.queues.orders.queueArn), ref(stack.queues.reorderPoll.queueArn)]));
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']) }),
          expect.objectContaining({ Action: 'sns:Publish', Resource: ref(stack.observability.alertsTopic.topicArn) }),
          expect.objectContaining({ Resource: ref(stack.data.codeKeys.idKey.secret.secretArn) }),
          expect.objectContaining({ Action: 'kms:GenerateDataKey', Resource: ref(stack.data.codeKeys.versions[0].key.keyArn) }),
          expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: secretPatternArn('streamsync/supplier/') }),
        ]),
      );
    }
  });
});

describe('observability', () => {
  test('alerts topic: KMS-encrypted, TLS-only, CloudWatch may publish and use the key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: ref(stack.observability.alertsKey.keyArn) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  test('optional e-mail subscription from the AlertEmail parameter', () => {
    template.hasParameter('AlertEmail', { Type: 'String', Default: '' });
    template.hasResource('AWS::SNS::Subscription', {
      Condition: Match.anyValue(),
      Properties: { Protocol: 'email', Endpoint: { Ref: 'AlertEmail' }, TopicArn: ref(stack.observability.alertsTopic.topicArn) },
    });
  });

  test('alarms publish to the alerts topic: DLQs, function errors, 5xx, order age, iterator age, throttles', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 16);
    const topic = ref(stack.observability.alertsTopic.topicArn);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });

    for (const dlq of [stack.queues.ordersDlq, stack.queues.reorderPollDlq, stack.queues.writeBackDlq, stack.queues.restockFailures]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: ref(dlq.queueName) }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    for (const fn of Object.values(functions())) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(fn.functionName) }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Dimensions: [{ Name: 'ApiId', Value: ref(stack.ingest.api.apiId) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: ref(stack.queues.orders.queueName) }],
      Threshold: 60,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: ref(stack.inventory.streamHandler.functionName) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('webhook \\+ delivery') })]),
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('outputs', () => {
  test('webhook URLs, table, topic and the secret names to fill in', () => {
    const url = (suffix: string) =>
      Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`${suffix}$`)])] });
    template.hasOutput('SallaWebhookUrl', { Value: url('/webhooks/salla') });
    template.hasOutput('ZidWebhookUrl', { Value: url('/webhooks/zid') });
    template.hasOutput('TableName', { Value: ref(stack.data.table.tableName) });
    template.hasOutput('AlertsTopicArn', { Value: ref(stack.observability.alertsTopic.topicArn) });
    template.hasOutput('CodeIdKeySecretName', { Value: 'streamsync/code-id-key' });
    template.hasOutput('CodeKeys', { Value: { 'Fn::Join': ['', ['1=', ref(stack.data.codeKeys.versions[0].key.keyArn)]] } });
    template.hasOutput('WebhookSecretNames', { Value: Match.stringLikeRegexp('streamsync/webhook/salla/<merchantId>') });
    template.hasOutput('SupplierSecretNames', { Value: Match.stringLikeRegexp('streamsync/supplier/reloadly') });
    template.hasOutput('PlatformAppSecretNames', { Value: Match.stringLikeRegexp('streamsync/platform-app/salla .*streamsync/platform-app/zid') });
    template.hasOutput('WriteBackQueueUrl', { Value: ref(stack.queues.writeBack.queueUrl) });
    template.hasOutput('WriteBackDlqUrl', { Value: ref(stack.queues.writeBackDlq.queueUrl) });
  });
});

describe('the channel is chosen at deploy time (`cdk deploy -c channel=<name>`)', () => {
  it('whatsapp: CHANNEL=whatsapp and a read grant on its secret, in the delivery function only', () => {
    const { stack: chosen } = createApp({ context: { ...cdkContext, channel: 'whatsapp' } }, { nag: false });
    const json = Template.fromStack(chosen).toJSON();
    const delivery = json.Resources[chosen.getLogicalId(chosen.delivery.handler.node.defaultChild as never)];
    expect(delivery.Properties.Environment.Variables.CHANNEL).toBe('whatsapp');
    expect(JSON.stringify(json)).toContain('streamsync/channel/whatsapp');
  }, 120_000);

  describe('a chain (`-c channel=whatsapp,sms,email`)', () => {
    let chain: StreamSyncStack;
    let json: { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Parameters: Record<string, unknown>; Outputs: Record<string, { Value: unknown }> };
    const resourceOf = (construct: IConstruct) => json.Resources[chain.getLogicalId(construct.node.defaultChild as never)];
    const statementsOf = (fn: StreamSyncFunction) =>
      Object.values(json.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: chain.getLogicalId(fn.executionRole.node.defaultChild as never) }]))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);

    beforeAll(() => {
      // With cdk-nag: the status route and every channel's grants must pass it too.
      const built = createApp({ context: { ...cdkContext, channel: 'whatsapp,sms,email' } });
      built.app.synth();
      chain = built.stack;
      json = Template.fromStack(chain).toJSON() as typeof json;
    }, 180_000);

    it('the delivery function gets the chain in order, every channel binding and its parameters', () => {
      const env = resourceOf(chain.delivery.handler).Properties.Environment.Variables;
      expect(env.CHANNEL).toBe('whatsapp,sms,email');
      expect(env.REVEAL_BASE_URL).toBeDefined();
      expect(Object.keys(json.Parameters)).toEqual(expect.arrayContaining(['WhatsAppPhoneNumberId', 'WhatsAppTemplateLinkAr', 'SesIdentity', 'SesFromAddress']));
      const statements = statementsOf(chain.delivery.handler);
      const actions = statements.flatMap((st) => [st.Action].flat());
      expect(actions).toEqual(expect.arrayContaining(['ses:SendEmail', 'sns:Publish']));
      // SES: the one verified identity (and its configuration set), never `*`; WhatsApp needs no IAM at all.
      const ses = statements.find((st) => [st.Action].flat().includes('ses:SendEmail'))!;
      const sesResources = JSON.stringify(ses.Resource);
      expect(sesResources).toContain(':identity/');
      expect(sesResources).toContain(chain.getLogicalId(chain.node.findChild('SesIdentity') as never));
      expect([ses.Resource].flat()).not.toContain('*');
      // The only wildcard publish left is SNS SMS's (`sms`; `sms-eum` has none, asserted below).
      const wildcards = statements.filter((st) => [st.Resource].flat().includes('*')).flatMap((st) => [st.Action].flat());
      expect(wildcards.filter((a) => !a.startsWith('xray:'))).toEqual(['sns:Publish']);
    });

    it('a status route per channel that has one (GET and POST /channels/whatsapp/status) to its own function', () => {
      const routes = Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
      expect(routes).toEqual(expect.arrayContaining(['GET /channels/whatsapp/status', 'POST /channels/whatsapp/status']));
      expect(routes.filter((key) => key.includes('/channels/'))).toHaveLength(2);
      expect(chain.channelStatus).toBeDefined();
      expect(json.Outputs.WhatsappStatusCallbackUrl).toBeDefined();
    });

    it('the status function: the WhatsApp secret and the orders queue, no table, no code key, no channel SDKs', () => {
      const fn = chain.channelStatus!.handler;
      const env = resourceOf(fn).Properties.Environment.Variables;
      expect(env.CHANNEL).toBe('whatsapp');
      expect(env.CODE_KEYS).toBeUndefined();
      expect(env.CODE_ID_KEY_SECRET_NAME).toBeUndefined();
      const statements = statementsOf(fn);
      const actions = statements.flatMap((st) => [st.Action].flat()).sort();
      // Beyond every function's own logs and traces: one secret and the queue.
      expect(actions.filter((a) => !/^(sqs|kms|logs|xray):/.test(a))).toEqual(['secretsmanager:GetSecretValue']);
      expect(actions.filter((a) => a.startsWith('sqs:')).every((a) => ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].includes(a))).toBe(true);
      const secret = statements.find((st) => [st.Action].flat().includes('secretsmanager:GetSecretValue'))!;
      expect(JSON.stringify(secret.Resource)).toContain(':secret:streamsync/channel/whatsapp-webhook-??????');
      // Not the sending token's secret.
      expect(JSON.stringify(statements)).not.toContain(':secret:streamsync/channel/whatsapp-??????');
      expect(JSON.stringify(statements)).not.toMatch(/dynamodb/);
    });

    it('its errors are alarmed like every function\'s', () => {
      const alarms = Object.values(json.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'Errors');
      expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions).includes(chain.getLogicalId(chain.channelStatus!.handler.node.defaultChild as never)))).toBe(true);
    });
  });

  it('`-c revealLinks=` chooses the link channels at deploy time: empty is none, an unknown name fails synth', () => {
    const envOfChosen = (revealLinks: string) => {
      const { stack: chosen } = createApp({ context: { ...cdkContext, channel: 'whatsapp,sms', revealLinks } }, { nag: false });
      const json = Template.fromStack(chosen).toJSON();
      return json.Resources[chosen.getLogicalId(chosen.delivery.handler.node.defaultChild as never)].Properties.Environment.Variables;
    };
    expect(envOfChosen('').REVEAL_LINK_CHANNELS).toBe('none');
    expect(envOfChosen('whatsapp').REVEAL_LINK_CHANNELS).toBe('whatsapp');
    expect(() => envOfChosen('pigeon')).toThrow(/Unknown channel "pigeon"/);
    expect(envOf(stack.delivery.handler).REVEAL_LINK_CHANNELS).toBeUndefined();
  }, 120_000);

  it('sms-eum alone (the default): no status route and no status function', () => {
    expect(stack.channelStatus).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('/channels/');
  });

  it('an unknown channel fails synth with the known ones', () => {
    expect(() => createApp({ context: { ...cdkContext, channel: 'pigeon' } }, { nag: false })).toThrow(/Unknown channel "pigeon". Known channels: .*sms/);
  });

  it('sms-eum: sms-voice:SendTextMessage on the origination identity parameter only, and no sns:Publish on "*" (only the alerts topic)', () => {
    const { stack: chosen } = createApp({ context: { ...cdkContext, channel: 'sms-eum' } }, { nag: false });
    const json = Template.fromStack(chosen).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Parameters: Record<string, Record<string, unknown>> };
    const delivery = chosen.delivery.handler;
    const env = json.Resources[chosen.getLogicalId(delivery.node.defaultChild as never)].Properties.Environment.Variables;
    expect(env).toMatchObject({
      CHANNEL: 'sms-eum',
      EUM_SMS_ORIGINATION_IDENTITY: { Ref: 'EumSmsOriginationIdentityArn' },
      EUM_SMS_CONFIGURATION_SET: { Ref: 'EumSmsConfigurationSet' },
      EUM_SMS_MAX_PRICE: { Ref: 'EumSmsMaxPrice' },
    });
    expect(env.EUM_SMS_ENDPOINT_URL).toBeUndefined();
    expect(json.Parameters.EumSmsOriginationIdentityArn).toMatchObject({ Type: 'String', AllowedPattern: expect.stringContaining('sms-voice') });
    expect(json.Parameters.EumSmsOriginationIdentityArn.Default).toBeUndefined();
    expect(json.Parameters.EumSmsConfigurationSet).toMatchObject({ Default: '' });

    const role = { Ref: chosen.getLogicalId(delivery.executionRole.node.defaultChild as never) };
    const statements = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([role]))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const granting = (action: string) => statements.filter((st) => [st.Action].flat().includes(action));
    expect(granting('sms-voice:SendTextMessage')).toEqual([
      {
        Action: 'sms-voice:SendTextMessage',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Sub': '${EumSmsOriginationIdentityArn}' },
          // The configuration set of a send, when one is given (EumSmsConfigurationSet; empty: an ARN that matches nothing).
          { 'Fn::Sub': 'arn:${AWS::Partition}:sms-voice:${AWS::Region}:${AWS::AccountId}:configuration-set/${EumSmsConfigurationSet}' },
        ],
      },
    ]);
    expect(statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('sms-voice:')))).toHaveLength(1);
    const publish = granting('sns:Publish');
    expect(publish.length).toBeGreaterThan(0);
    for (const st of publish) expect(st.Resource).toEqual(chosen.resolve(chosen.observability.alertsTopic.topicArn));
    // What is left on "*" is what every function has (X-Ray traces): no message can be sent with it.
    const onAnything = statements.filter((st) => [st.Resource].flat().includes('*')).flatMap((st) => [st.Action].flat());
    expect(onAnything.filter((action) => !action.startsWith('xray:'))).toEqual([]);
  }, 120_000);
});
