// The StreamSync stack: stateful constructs first (data, queues, alerts topic), then the function constructs
// of the flow (ingest → delivery → write-back, inventory), then alarms on all of it and the outputs the merchant needs.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PLATFORMS } from '#adapters/platforms/registry';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { configDefault } from './config-contract';
import { Data } from './data';
import { ChannelStatus } from './channel-status';
import { DELIVERY_TIMEOUT, Delivery, deployedChannels } from './delivery';
import { Ingest } from './ingest';
import { Inventory, RESTOCK_TIMEOUT } from './inventory';
import { Observability } from './observability';
import { Queues } from './queues';
import { Reveal } from './reveal';
import { WRITE_BACK_TIMEOUT, WriteBack, writeBackPlatforms } from './write-back';
import type { StreamSyncResources } from './streamsync-function';

export interface StreamSyncStackProps extends StackProps {
  /** Default of the AlertEmail parameter. @default none */
  readonly alertEmail?: string;
  /** The channels codes go out through, in their default chain order (`cdk deploy -c channel=whatsapp,sms-eum,email`). @default 'sms-eum' */
  readonly channel?: string;
  /**
   * Channels that send a one-time reveal link instead of the code (`-c revealLinks=whatsapp`, empty for
   * none): REVEAL_LINK_CHANNELS of the delivery function. @default its config default (whatsapp,email)
   */
  readonly revealLinks?: string;
  /** Code key versions, oldest first (`-c codeKeyVersions=1,2`); the last seals new codes. @default ['1'] */
  readonly codeKeyVersions?: readonly string[];
  /** The pre-envelope code key's secret name, while the table holds codes sealed with it (`-c legacyCodeKeySecret=streamsync/code-key`). */
  readonly legacyCodeKeySecret?: string;
}

export class StreamSyncStack extends Stack {
  public readonly data: Data;
  public readonly queues: Queues;
  public readonly observability: Observability;
  public readonly ingest: Ingest;
  public readonly delivery: Delivery;
  /** The one-time reveal page (`GET /c/{token}`) the delivery function's links open. */
  public readonly reveal: Reveal;
  /** The providers' status webhooks (present when a deployed channel has one, e.g. WhatsApp). */
  public readonly channelStatus?: ChannelStatus;
  public readonly inventory: Inventory;
  /** Tells each store its delivered orders are delivered (fed by the delivery function through the write-back queue). */
  public readonly writeBack: WriteBack;

  constructor(scope: Construct, id: string, props: StreamSyncStackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data', { codeKeyVersions: props.codeKeyVersions, legacyCodeKeySecret: props.legacyCodeKeySecret });
    this.queues = new Queues(this, 'Queues', {
      ordersConsumerTimeout: DELIVERY_TIMEOUT,
      reorderPollConsumerTimeout: RESTOCK_TIMEOUT,
      writeBackConsumerTimeout: WRITE_BACK_TIMEOUT,
    });
    this.observability = new Observability(this, 'Observability', { alertEmail: props.alertEmail });

    const resources: StreamSyncResources = {
      table: this.data.table,
      ordersQueue: this.queues.orders,
      reorderPollQueue: this.queues.reorderPoll,
      alertsTopic: this.observability.alertsTopic,
    };
    const codeKeys = this.data.codeKeys;

    this.ingest = new Ingest(this, 'Ingest', { resources });
    this.delivery = new Delivery(this, 'Delivery', { resources, codeKeys, channel: props.channel, writeBackQueue: this.queues.writeBack });
    this.writeBack = new WriteBack(this, 'WriteBack', { resources, queue: this.queues.writeBack });
    this.reveal = new Reveal(this, 'Reveal', { resources, codeKeys, ingest: this.ingest });
    // The stage URL is built from the API's id alone, so the delivery function does not wait for the route.
    this.delivery.handler.setConfig('REVEAL_BASE_URL', this.reveal.baseUrl);
    if (props.revealLinks !== undefined) {
      const names = props.revealLinks.split(',').map((name) => name.trim()).filter(Boolean);
      // An unknown name fails synth as an unknown channel does; none at all is `none` (empty means the default).
      if (names.length > 0) deployedChannels(names.join(','));
      this.delivery.handler.setConfig('REVEAL_LINK_CHANNELS', names.length > 0 ? names.join(',') : 'none');
    }
    const statusChannels = deployedChannels(props.channel).filter((module) => module.statusWebhook);
    this.channelStatus = statusChannels.length > 0 ? new ChannelStatus(this, 'ChannelStatus', { resources, ingest: this.ingest, channels: statusChannels }) : undefined;
    this.inventory = new Inventory(this, 'Inventory', {
      resources,
      codeKeys,
      streamFailureQueue: this.queues.restockFailures,
    });

    this.observability.monitor({
      api: this.ingest.api,
      webhookFunction: this.ingest.handler,
      deliveryFunction: this.delivery.handler,
      revealFunction: this.reveal.handler,
      restockStreamFunction: this.inventory.streamHandler,
      restockPollFunction: this.inventory.pollHandler,
      restockSweepFunction: this.inventory.sweepHandler,
      channelStatusFunction: this.channelStatus?.handler,
      writeBackFunction: this.writeBack.handler,
      ordersQueue: this.queues.orders,
      writeBackQueue: this.queues.writeBack,
      deadLetterQueues: {
        OrdersDlq: this.queues.ordersDlq,
        ReorderPollDlq: this.queues.reorderPollDlq,
        WriteBackDlq: this.queues.writeBackDlq,
        RestockFailures: this.queues.restockFailures,
      },
    });

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    for (const platform of PLATFORMS) output(`${platform.title}WebhookUrl`, this.ingest.webhookUrls[platform.name], platform.setup.webhookUrlHelp);
    if (this.channelStatus) {
      for (const [name, url] of Object.entries(this.channelStatus.callbackUrls)) output(`${name.replace(/^./, (c) => c.toUpperCase())}StatusCallbackUrl`, url, `${name}: the status webhook (callback) URL to subscribe in the provider's settings`);
    }
    output('TableName', this.data.table.tableName, 'DynamoDB table (codes, orders, backorders, SKU config)');
    output('OrdersQueueUrl', this.queues.orders.queueUrl, 'Orders queue (ORDERS_QUEUE_URL for the CLI)');
    output('OrdersDlqUrl', this.queues.ordersDlq.queueUrl, 'Orders dead-letter queue: `npm run cli -- dlq redrive --dlq-url <this>`');
    output('WriteBackQueueUrl', this.queues.writeBack.queueUrl, 'Write-back queue: delivered orders to report to their store (WRITE_BACK_QUEUE_URL)');
    output('WriteBackDlqUrl', this.queues.writeBackDlq.queueUrl, 'Write-back dead-letter queue: `npm run cli -- dlq redrive --dlq-url <this> --queue-url <WriteBackQueueUrl>`');
    output('AlertsTopicArn', this.observability.alertsTopic.topicArn, 'SNS topic of merchant and operational alerts');
    output('CodeIdKeySecretName', codeKeys.idKey.name, 'Secrets Manager: 32-byte base64 key of the codes\' HMAC ids (generated; CODE_ID_KEY_SECRET_NAME for the CLI)');
    output('CodeKeys', codeKeys.versions.map(({ version, key }) => `${version}=${key.keyArn}`).join(','), 'KMS keys of the codes by version (CODE_KEYS for the CLI; CODE_KEY_VERSION is the last)');
    const webhookPrefix = configDefault('WEBHOOK_SECRET_PREFIX');
    output(
      'WebhookSecretNames',
      PLATFORMS.map((p) => `${webhookPrefix}${p.name}/<${p.setup.storeIdLabel}> ${p.webhookSecret.example}`).join(' ; '),
      'Secrets Manager: create one per store',
    );
    output(
      'PlatformAppSecretNames',
      writeBackPlatforms().map((name) => `${configDefault('PLATFORM_APP_SECRET_PREFIX')}${name} {"clientId":"…","clientSecret":"…"}`).join(' ; '),
      "Secrets Manager: create one per platform app (its OAuth client); each store's tokens go under " + configDefault('STORE_TOKEN_SECRET_PREFIX') + '<platform>/<store id>',
    );
    output(
      'SupplierSecretNames',
      SUPPLIERS.map((s) => `${configDefault('SUPPLIER_SECRET_PREFIX')}${s.name} ${s.credentialsExample}`).join(' ; '),
      'Secrets Manager: create one per supplier',
    );
    output(
      'DashboardUrl',
      `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.stackName}`,
      'CloudWatch dashboard',
    );
  }
}
