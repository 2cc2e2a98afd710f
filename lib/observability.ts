// What the merchant watches: the alerts topic (functions publish business alerts to it, CloudWatch alarms
// publish operational ones), the alarms themselves and a dashboard. Created first (every function's config
// names the topic); `monitor` is called once everything it watches exists.
import { ArnFormat, CfnCondition, CfnParameter, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  /** Default of the `AlertEmail` parameter (e.g. from `-c alertEmail=ops@example.com`). @default no subscription */
  readonly alertEmail?: string;
}

/** Everything `monitor` puts alarms and graphs on. */
export interface MonitoredResources {
  readonly api: apigw.IHttpApi;
  readonly webhookFunction: lambda.IFunction;
  readonly deliveryFunction: lambda.IFunction;
  readonly revealFunction: lambda.IFunction;
  readonly restockStreamFunction: lambda.IFunction;
  readonly restockPollFunction: lambda.IFunction;
  readonly restockSweepFunction: lambda.IFunction;
  /** The providers' status webhooks, when a deployed channel has one. */
  readonly channelStatusFunction?: lambda.IFunction;
  readonly writeBackFunction: lambda.IFunction;
  readonly ordersQueue: sqs.IQueue;
  /** Delivered orders waiting to be written back to their store. */
  readonly writeBackQueue: sqs.IQueue;
  /** Dead-letter queues by display name; any message in one is an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

/** ApproximateAgeOfOldestMessage above this on the orders queue means paid orders are waiting. */
export const ORDERS_MAX_AGE = Duration.seconds(60);
/**
 * ApproximateAgeOfOldestMessage above this on the write-back queue means write-backs are stuck: every
 * pacing or retry delay is a new message of at most 15 minutes (SQS's longest delay), so twice that is no delay.
 */
export const WRITE_BACK_MAX_AGE = Duration.minutes(30);
/** Restock stream IteratorAge above this means table changes are not being processed. */
export const STREAM_MAX_ITERATOR_AGE = Duration.minutes(2);

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

export class Observability extends Construct {
  public readonly alertsKey: kms.Key;
  public readonly alertsTopic: sns.Topic;
  public readonly alertEmail: CfnParameter;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // A customer-managed key, because CloudWatch can only publish alarms to an encrypted topic whose key
    // policy lets it use the key (the AWS managed aws/sns key cannot be changed).
    this.alertsKey = new kms.Key(this, 'AlertsKey', {
      description: 'StreamSync alerts topic',
      enableKeyRotation: true,
      // Alerts are not stored, so nothing needs this key after the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.alertsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // CloudWatch of this account only (the confused deputy: another account's alarms cannot use it).
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.alertsTopic = new sns.Topic(this, 'AlertsTopic', {
      displayName: 'StreamSync alerts',
      masterKey: this.alertsKey,
      enforceSSL: true,
    });
    // The topic policy written for enforceSSL replaces SNS's default one, so allow this account's alarms explicitly.
    this.alertsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alertsTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    this.alertEmail = new CfnParameter(stack, 'AlertEmail', {
      type: 'String',
      default: props.alertEmail ?? '',
      description: 'E-mail address subscribed to StreamSync alerts (confirm the e-mail AWS sends). Empty: no subscription.',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be empty or an e-mail address',
    });
    const hasEmail = new CfnCondition(this, 'HasAlertEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(this.alertEmail.valueAsString, '')),
    });
    const subscription = new sns.CfnSubscription(this, 'AlertEmailSubscription', {
      topicArn: this.alertsTopic.topicArn,
      protocol: 'email',
      endpoint: this.alertEmail.valueAsString,
    });
    subscription.cfnOptions.condition = hasEmail;
  }

  /** Creates the alarms (all publishing to the alerts topic) and the dashboard. Call once. */
  public monitor(r: MonitoredResources): void {
    const functions: Record<string, lambda.IFunction> = {
      Webhook: r.webhookFunction,
      Delivery: r.deliveryFunction,
      Reveal: r.revealFunction,
      RestockStream: r.restockStreamFunction,
      RestockPoll: r.restockPollFunction,
      RestockSweep: r.restockSweepFunction,
      ...(r.channelStatusFunction && { ChannelStatus: r.channelStatusFunction }),
      WriteBack: r.writeBackFunction,
    };

    for (const [name, queue] of Object.entries(r.deadLetterQueues)) {
      this.alarm(`${name}NotEmpty`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ONE_MINUTE }),
        threshold: 0,
        description: `${name} holds messages that failed repeatedly. Find the cause in the function logs, fix it, then redrive the queue.`,
      });
    }

    for (const [name, fn] of Object.entries(functions)) {
      this.alarm(`${name}FunctionErrors`, {
        metric: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        description: `The ${name} function failed (uncaught error or timeout). See its log group; SQS and stream sources retry and then dead-letter.`,
      });
    }

    this.alarm('WebhookServerErrors', {
      metric: r.api.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES }),
      threshold: 0,
      description: 'The webhook endpoint answered 5xx: Salla/Zid will retry, but orders may be delayed. Check the webhook function logs.',
    });

    this.alarm('OrdersWaiting', {
      metric: r.ordersQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ONE_MINUTE }),
      threshold: ORDERS_MAX_AGE.toSeconds(),
      evaluationPeriods: 2,
      description: `A paid order has waited more than ${ORDERS_MAX_AGE.toSeconds()} s for delivery (backlog or a message failing and retrying).`,
    });

    this.alarm('WriteBacksWaiting', {
      metric: r.writeBackQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ONE_MINUTE }),
      threshold: WRITE_BACK_MAX_AGE.toSeconds(),
      evaluationPeriods: 2,
      description: `A delivered order has waited more than ${WRITE_BACK_MAX_AGE.toMinutes()} min to be written back to its store (the write-back function failing, throttled or not consuming). Customers have their codes; store statuses lag.`,
    });

    this.alarm('RestockStreamBehind', {
      metric: r.restockStreamFunction.metric('IteratorAge', { statistic: 'Maximum', period: ONE_MINUTE }),
      threshold: STREAM_MAX_ITERATOR_AGE.toMilliseconds(),
      evaluationPeriods: 3,
      description: 'The restock function is behind the table stream: reorders and backorder fills are delayed. Records older than 1 hour go to the restock failures queue.',
    });

    const throttles = Object.fromEntries(
      Object.entries(functions).map(([name, fn]) => [
        name.toLowerCase(),
        fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
      ]),
    );
    this.alarm('FunctionThrottles', {
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(throttles).join(' + '),
        usingMetrics: throttles,
        label: 'Throttles (all functions)',
        period: FIVE_MINUTES,
      }),
      threshold: 0,
      description: 'A StreamSync function was throttled: the account concurrency limit is reached. Request a higher Lambda concurrency quota.',
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Webhooks',
        left: [
          r.api.metricCount({ period: ONE_MINUTE }),
          r.api.metricClientError({ period: ONE_MINUTE }),
          r.api.metricServerError({ period: ONE_MINUTE }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Orders queue',
        left: [r.ordersQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE })],
        right: [r.ordersQueue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        left: Object.entries(r.deadLetterQueues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, label: name }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: Object.entries(functions).map(([name, fn]) => fn.metricErrors({ period: ONE_MINUTE, label: name })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration (p99)',
        left: Object.entries(functions).map(([name, fn]) =>
          fn.metricDuration({ period: ONE_MINUTE, statistic: 'p99', label: name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Restock stream iterator age',
        left: [r.restockStreamFunction.metric('IteratorAge', { statistic: 'Maximum', period: ONE_MINUTE })],
        width: 8,
      }),
    );
  }

  private alarm(
    id: string,
    o: { metric: cloudwatch.IMetric; threshold: number; description: string; evaluationPeriods?: number },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: o.description,
      metric: o.metric,
      threshold: o.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: o.evaluationPeriods ?? 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.alertsTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
