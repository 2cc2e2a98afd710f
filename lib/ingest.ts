// Flow step 1 (primary adapter): Salla / Zid ──HTTPS──▶ HTTP API ──▶ webhook fn ──▶ orders queue.
import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import { PLATFORMS, type PlatformName } from '#adapters/platforms/registry';
import { acknowledge } from './nag';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

/** Route path of a platform: the URL pasted into its webhook settings is `<api url><path>`. */
export const webhookPath = (platform: string): string => `/webhooks/${platform}`;

const PLATFORM_TITLES = PLATFORMS.map((p) => p.title).join('/');

export interface IngestProps {
  readonly resources: StreamSyncResources;
  /** Default-stage throttling. @default WEBHOOK_THROTTLE */
  readonly throttle?: apigw.ThrottleSettings;
}

/**
 * 300 webhooks/s steady (18,000 orders/min), bursts of 600: room for the 10,000 orders/min the stack is
 * built for plus platform retries, while a flood still stops at the gateway. The earlier 50/s would
 * have answered 429 above 3,000 orders/min, below what the delivery side sustains.
 */
export const WEBHOOK_THROTTLE: apigw.ThrottleSettings = { rateLimit: 300, burstLimit: 600 };

export class Ingest extends Construct {
  public readonly handler: StreamSyncFunction;
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  /** Full webhook URL per platform. */
  public readonly webhookUrls: Readonly<Record<PlatformName, string>>;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);

    this.handler = new StreamSyncFunction(this, 'WebhookFn', {
      entry: 'functions/webhook/handler.ts',
      description: `Verifies ${PLATFORM_TITLES} webhooks and enqueues paid orders`,
      serviceName: 'webhook',
      resources: props.resources,
      // Platforms expect a fast 2xx; the HTTP API itself gives up after 30 s.
      timeout: Duration.seconds(10),
    })
      .grantStoreItemsRead()
      .grantDeliveryMarkers()
      .grantSendOrders()
      .bindWebhookSecrets()
      .bindWebhookAppSecrets()
      // Salla Easy Mode: the install event's tokens are saved by the webhook itself (never queued).
      .bindStoreTokens('install');

    this.api = new apigw.HttpApi(this, 'Api', {
      description: `StreamSync webhook endpoint for ${PLATFORM_TITLES}`,
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? WEBHOOK_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // Request metadata only: never headers or body (they carry signatures and customer data).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Webhook', this.handler);
    for (const { name } of PLATFORMS) {
      for (const route of this.api.addRoutes({
        path: webhookPath(name),
        methods: [apigw.HttpMethod.POST],
        integration,
      })) {
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          `${PLATFORM_TITLES} cannot present AWS or JWT credentials. Each request is authenticated in the webhook function against the store's own secret (the platform module's check: a signature of the raw body, a token or Basic Auth credentials), timing-safe; unauthenticated requests get 401 and enqueue nothing.`,
        );
      }
    }

    // The $default stage URL ends with '/', the paths start with one.
    this.webhookUrls = Object.fromEntries(PLATFORMS.map(({ name }) => [name, `${this.stage.url}${webhookPath(name).slice(1)}`])) as Record<PlatformName, string>;
  }

  /**
   * A throttle of its own for one route (`GET /c/{token}`), below the stage's: HTTP APIs set it as the
   * stage's route settings, which the L2 stage does not expose. CloudFormation refuses settings for a
   * route that does not exist yet, so the stage waits for `route`.
   */
  public throttleRoute(routeKey: string, throttle: apigw.ThrottleSettings, route: IDependable): void {
    const stage = this.stage.node.defaultChild as apigw.CfnStage;
    stage.addPropertyOverride(`RouteSettings.${routeKey}`, { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit });
    stage.node.addDependency(route);
  }
}
