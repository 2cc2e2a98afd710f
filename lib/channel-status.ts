// Flow step 2b: channel provider ──HTTPS──▶ HTTP API ──▶ channel status fn ──▶ orders queue. Providers
// report what became of accepted messages (WhatsApp: sent, delivered, read, failed); the delivery
// function applies them, so this internet-facing function holds no table access and no code key.
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { statusPath, type ChannelModule } from '#adapters/channels/channel-module';
import type { Ingest } from './ingest';
import { acknowledge } from './nag';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

/**
 * Per status route: WhatsApp reports about three statuses per message, so 10,000 orders/min is ~500/s;
 * beyond that a flood of unsigned posts stops at the gateway instead of costing invocations.
 */
export const STATUS_THROTTLE: apigw.ThrottleSettings = { rateLimit: 600, burstLimit: 1200 };

export interface ChannelStatusProps {
  readonly resources: StreamSyncResources;
  /** The HTTP API the routes join (and whose stage throttles them). */
  readonly ingest: Ingest;
  /** The deployed channel modules that have a status webhook. */
  readonly channels: readonly ChannelModule[];
}

export class ChannelStatus extends Construct {
  public readonly handler: StreamSyncFunction;
  /** Full callback URL per channel. */
  public readonly callbackUrls: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ChannelStatusProps) {
    super(scope, id);
    this.handler = new StreamSyncFunction(this, 'StatusFn', {
      entry: 'functions/channel-status/handler.ts',
      description: 'Verifies channel providers\' status webhooks and enqueues them for delivery',
      serviceName: 'channel-status',
      resources: props.resources,
      // Meta expects an answer within seconds and retries otherwise.
      timeout: Duration.seconds(10),
    })
      .setConfig('CHANNEL', props.channels.map((module) => module.name).join(','))
      .grantSendOrders();
    for (const module of props.channels) {
      this.handler.applyBinding(`${module.name}Status`, {
        secrets: [{ name: module.statusWebhook!.secretName, why: `The ${module.name} secret holds what verifies its status webhooks (signing key, subscription token); created by the merchant after deploy.` }],
      });
    }

    const integration = new HttpLambdaIntegration('ChannelStatus', this.handler);
    for (const module of props.channels) {
      const methods = [apigw.HttpMethod.GET, apigw.HttpMethod.POST];
      for (const [i, route] of props.ingest.api.addRoutes({ path: statusPath(module.name), methods, integration }).entries()) {
        props.ingest.throttleRoute(`${methods[i]} ${statusPath(module.name)}`, STATUS_THROTTLE, route);
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          `${module.name} cannot present AWS or JWT credentials. Each POST is authenticated in the function against the channel's secret (a signature of the raw body, timing-safe) and each GET by the subscription token; unauthenticated requests get 401/403 and enqueue nothing.`,
        );
      }
    }
    this.callbackUrls = Object.fromEntries(props.channels.map((module) => [module.name, `${props.ingest.stage.url}${statusPath(module.name).slice(1)}`]));
  }
}
