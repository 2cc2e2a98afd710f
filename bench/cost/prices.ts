// On-demand list prices used to turn measured requests into US$. Entered by hand from AWS's public
// pricing pages for Europe (Frankfurt); this machine has no internet, so they were not re-fetched on the
// day of the run. `asOf` is when they were entered: check them before quoting a cost to a merchant.
export const PRICES = {
  region: 'eu-central-1',
  asOf: '2026-11-25',
  currency: 'USD',
  sources: [
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/api-gateway/pricing/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/cloudwatch/pricing/',
    'https://aws.amazon.com/xray/pricing/',
    'https://aws.amazon.com/kms/pricing/',
  ],
  lambda: { usdPerMillionRequests: 0.2, usdPerGbSecondArm64: 0.0000133334 },
  apiGatewayHttpApi: { usdPerMillionRequests: 1.2 },
  sqsStandard: { usdPerMillionRequests: 0.4 },
  /** On-demand throughput after the November 2024 price cut (half the earlier price). */
  dynamodbOnDemand: { usdPerMillionWriteUnits: 0.7625, usdPerMillionReadUnits: 0.1525 },
  /** Stream reads made by a Lambda event source mapping are not charged. */
  dynamodbStreamsForLambda: { usdPerMillionRequests: 0 },
  cloudwatchLogs: { usdPerGbIngested: 0.63 },
  xray: { usdPerMillionTracesRecorded: 5 },
  /** GenerateDataKey and Decrypt; each code key version is also $1 a month (a fixed cost, not per order). */
  kms: { usdPerMillionRequests: 3, usdPerKeyMonth: 1 },
} as const;

/** What the estimate assumes about AWS where the local run cannot show it. */
export const COST_ASSUMPTIONS = {
  /** Every function's memory (lib/streamsync-function.ts default). */
  lambdaMemoryMb: 512,
  /** START/END/REPORT lines Lambda writes per invocation, on top of the handler's own logs. */
  platformLogBytesPerInvocation: 350,
  /** X-Ray's default sampling rule: the first request each second, then 5%. */
  xrayReservoirPerSecond: 1,
  xrayFixedRate: 0.05,
  /**
   * Handler durations are the local ones (2 shared cores, DynamoDB Local): an upper bound for Lambda,
   * where each invocation has its own CPU share and DynamoDB answers in single-digit ms.
   */
  durationSource: 'measured locally (upper bound)',
  /** The SQS event source's receives are one per delivery batch on AWS; idle polling is a fixed monthly cost. */
  sqsReceivesPerDeliveryInvocation: 1,
  /**
   * KMS under envelope encryption (functions/adapters/crypto/code-vault.ts): a container that opens codes
   * unwraps each data key in use once per cache life; one that adds codes takes a new data key per
   * data-key life. One local process shows almost none of it, so it is modelled from the container counts.
   */
  kms: {
    /** Delivery's maximum concurrency (lib/delivery.ts) plus a couple of reveal containers. */
    openingContainers: 22,
    /** The three restock functions, each warm. */
    sealingContainers: 3,
    /** CodeVault defaults: a data key seals for 5 minutes (or 10,000 codes); an unwrapped one is kept 15. */
    dataKeyLifeMinutes: 5,
    openCacheMinutes: 15,
    codesPerDataKey: 10_000,
  },
} as const;
