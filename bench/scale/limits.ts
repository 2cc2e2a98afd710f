// The limits the scale model holds each load against: AWS's, entered by hand from AWS's documentation
// (this machine has no internet, so the pages were not re-read on the day of a run: check them before
// quoting a figure), and the stack's own settings, read from lib/ so the model cannot drift from what
// is deployed. Every one is an input of the model: a test or a what-if passes others.
import { WEBHOOK_THROTTLE } from '#lib/ingest';
import { WRITE_BACK_EVENT_SOURCE } from '#lib/write-back';

export interface LimitInput {
  value: number;
  unit: string;
  /** The AWS documentation page that states it, or the file of this stack that sets it. */
  source: string;
  note?: string;
}

const DOCS = {
  partition: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  onDemand: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html',
  dynamoQuotas: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  lambdaQuotas: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  lambdaScaling: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
  sqsScaling: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
  apiGatewayQuotas: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
} as const;

/** AWS's limits. A per-partition limit holds on on-demand tables too, whatever the table's own capacity. */
export const AWS_LIMITS = {
  partitionWcu: {
    value: 1000,
    unit: 'write units/s per partition key',
    source: DOCS.partition,
    note: 'Throttled as KeyRangeThroughputExceeded while the table is far below its limits. DynamoDB may split a hot key by sort-key range after minutes of heat; a 10-minute sale cannot count on it.',
  },
  partitionRcu: { value: 3000, unit: 'read units/s per partition key', source: DOCS.partition },
  tableColdWcu: {
    value: 4000,
    unit: 'write units/s',
    source: DOCS.onDemand,
    note: 'What a new on-demand table serves at once; past 2× the previous peak within 30 minutes it throttles while it scales. Lifted by pre-warming (provisioned at the expected peak, then back to on-demand).',
  },
  tableColdRcu: { value: 12_000, unit: 'read units/s', source: DOCS.onDemand, note: 'As tableColdWcu, for reads.' },
  tableQuotaWcu: { value: 40_000, unit: 'write units/s per table', source: DOCS.dynamoQuotas, note: 'Default account quota per on-demand table; raised on request.' },
  tableQuotaRcu: { value: 40_000, unit: 'read units/s per table', source: DOCS.dynamoQuotas, note: 'As tableQuotaWcu, for reads.' },
  lambdaAccountConcurrency: { value: 1000, unit: 'concurrent executions per Region', source: DOCS.lambdaQuotas, note: 'Default quota, shared by every function of the account; raised on request.' },
  lambdaScalePer10s: { value: 1000, unit: 'new execution environments per function every 10 s', source: DOCS.lambdaScaling },
  sqsInitialConcurrency: { value: 5, unit: 'concurrent batches when messages appear', source: DOCS.sqsScaling },
  sqsScaleUpPerMinute: { value: 300, unit: 'more concurrent invocations per minute', source: DOCS.sqsScaling },
  sqsMaxConcurrency: {
    value: 1250,
    unit: 'concurrent invocations per SQS event source',
    source: DOCS.sqsScaling,
    note: 'The figure announced with the 2023 scaling change; the page stored here says 1,000 batches. Either way the account concurrency binds first.',
  },
  apiGatewayAccountRps: { value: 10_000, unit: 'requests/s per account and Region', source: DOCS.apiGatewayQuotas, note: 'Stage throttling applies on top.' },
  apiGatewayAccountBurst: { value: 5000, unit: 'requests (burst) per account and Region', source: DOCS.apiGatewayQuotas },
} as const satisfies Record<string, LimitInput>;

/**
 * This stack's own settings (lib/). MaximumConcurrency of the delivery event source is not exported
 * there (an inline default of the construct): a unit test reads lib/delivery.ts to keep this equal.
 */
export const STACK_SETTINGS = {
  webhookStageRps: { value: WEBHOOK_THROTTLE.rateLimit ?? Number.NaN, unit: 'requests/s on the HTTP API default stage', source: 'lib/ingest.ts WEBHOOK_THROTTLE' },
  webhookStageBurst: { value: WEBHOOK_THROTTLE.burstLimit ?? Number.NaN, unit: 'requests (burst)', source: 'lib/ingest.ts WEBHOOK_THROTTLE' },
  deliveryMaxConcurrency: { value: 20, unit: 'concurrent delivery invocations', source: 'lib/delivery.ts (SqsEventSource maxConcurrency default)', note: 'Protects the account concurrency and the SMS rate.' },
  writeBackMaxConcurrency: { value: WRITE_BACK_EVENT_SOURCE.maxConcurrency, unit: 'concurrent write-back invocations', source: 'lib/write-back.ts WRITE_BACK_EVENT_SOURCE' },
} as const satisfies Record<string, LimitInput>;

export type LimitName = keyof typeof AWS_LIMITS | keyof typeof STACK_SETTINGS;
export type Limits = Record<LimitName, number>;

export const LIMIT_INPUTS: Record<LimitName, LimitInput> = { ...AWS_LIMITS, ...STACK_SETTINGS };

export const defaultLimits = (): Limits => Object.fromEntries(Object.entries(LIMIT_INPUTS).map(([name, limit]) => [name, limit.value])) as Limits;
