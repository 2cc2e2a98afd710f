// Turns the requests counted during the fixed-rate E2E phase into US$ per 1,000 orders on AWS.
import type { PhaseResult } from '../e2e/phase';
import { INTAKE_UNITS_PER_CODE } from './intake-units';
import { round } from '../lib/stats';
import { COST_ASSUMPTIONS, PRICES } from './prices';

export interface CostEstimate {
  infraUsdPer1000Orders: number;
  /** US$ per 1,000 orders by service. */
  infraBreakdownUsdPer1000: Record<string, number>;
  /** Requests per order, `<function>|<service>.<operation>` as counted, plus DynamoDB units. */
  requestsPerOrder: Record<string, number>;
  dynamodbUnitsPerOrder: { read: number; write: number };
  lambdaPerOrder: Record<string, { invocations: number; avgDurationMs: number }>;
  logBytesPerOrder: number;
  /** Customer messages per order: the SMS/WhatsApp fee is set per destination country, so it is a count. */
  messageFees: { messagesPerOrder: number; note: string };
  prices: typeof PRICES;
  assumptions: typeof COST_ASSUMPTIONS;
  fromPhase: { ordersPerMin: number; orders: number };
}

const perMillion = (count: number, usdPerMillion: number) => (count * usdPerMillion) / 1_000_000;

/** The fixed-rate phase, with what importing its stock cost when that was metered. */
type CostedPhase = PhaseResult & { stockIntake?: { codes: number; requests: PhaseResult['requests'] } };

/**
 * KMS requests per order at a steady `ordersPerMin`: every opening container unwraps each data key in
 * use once per cache life, every sealing container takes a data key per data-key life (an upper bound:
 * only while codes arrive).
 */
export function kmsRequestsPerOrder(ordersPerMin: number): number {
  const k = COST_ASSUMPTIONS.kms;
  const keysInUse = Math.max(1, Math.ceil((ordersPerMin * k.openCacheMinutes) / k.codesPerDataKey));
  const perMinute = (k.openingContainers * keysInUse) / k.openCacheMinutes + k.sealingContainers / k.dataKeyLifeMinutes;
  return perMinute / ordersPerMin;
}

export function estimateCost(phase: CostedPhase): CostEstimate {
  const orders = phase.delivered;
  const requestsPerOrder: Record<string, number> = {};
  let readUnits = 0;
  let writeUnits = 0;
  let sqsRequests = 0;
  for (const [key, count] of Object.entries(phase.requests)) {
    requestsPerOrder[key] = round(count.requests / orders, 3);
    readUnits += count.readUnits;
    writeUnits += count.writeUnits;
    const [caller, operation] = key.split('|');
    // The local poller's empty long polls are not what the AWS event source does: counted below instead.
    if (operation.startsWith('SQS.') && !(caller === 'event-source' && operation === 'SQS.ReceiveMessage')) sqsRequests += count.requests;
  }
  const deliveryInvocations = phase.invocations.delivery?.count ?? 0;
  sqsRequests += deliveryInvocations * COST_ASSUMPTIONS.sqsReceivesPerDeliveryInvocation;

  const invocations = Object.values(phase.invocations).reduce((sum, i) => sum + i.count, 0);
  const gbSeconds = Object.values(phase.invocations).reduce((sum, i) => sum + (i.totalMs / 1000) * (COST_ASSUMPTIONS.lambdaMemoryMb / 1024), 0);
  const logBytes = phase.logBytes + invocations * COST_ASSUMPTIONS.platformLogBytesPerInvocation;
  const ordersPerSecond = phase.ordersPerMin / 60;
  const sampledShare = Math.min(1, (COST_ASSUMPTIONS.xrayReservoirPerSecond + COST_ASSUMPTIONS.xrayFixedRate * Math.max(0, ordersPerSecond - 1)) / ordersPerSecond);

  const usd: Record<string, number> = {
    apiGateway: perMillion(orders, PRICES.apiGatewayHttpApi.usdPerMillionRequests),
    lambdaRequests: perMillion(invocations, PRICES.lambda.usdPerMillionRequests),
    lambdaDuration: gbSeconds * PRICES.lambda.usdPerGbSecondArm64,
    sqs: perMillion(sqsRequests, PRICES.sqsStandard.usdPerMillionRequests),
    dynamodbWrites: perMillion(writeUnits, PRICES.dynamodbOnDemand.usdPerMillionWriteUnits),
    dynamodbReads: perMillion(readUnits, PRICES.dynamodbOnDemand.usdPerMillionReadUnits),
    cloudwatchLogs: (logBytes / 1024 ** 3) * PRICES.cloudwatchLogs.usdPerGbIngested,
    xray: perMillion(orders * sampledShare, PRICES.xray.usdPerMillionTracesRecorded),
    kms: perMillion(orders * kmsRequestsPerOrder(phase.ordersPerMin), PRICES.kms.usdPerMillionRequests),
  };
  // Each delivered code was imported once (addCodes: guard item + code, with its index entry), at no less than AWS bills for it.
  const intake = phase.stockIntake;
  if (intake && intake.codes > 0) {
    const units = Object.values(intake.requests).reduce((sum, c) => ({ read: sum.read + c.readUnits, write: sum.write + c.writeUnits }), { read: 0, write: 0 });
    const write = Math.max(units.write / intake.codes, INTAKE_UNITS_PER_CODE.write);
    const read = Math.max(units.read / intake.codes, INTAKE_UNITS_PER_CODE.read);
    usd.stockIntake = orders * (write * PRICES.dynamodbOnDemand.usdPerMillionWriteUnits + read * PRICES.dynamodbOnDemand.usdPerMillionReadUnits) * 1e-6;
  }
  const per1000 = Object.fromEntries(Object.entries(usd).map(([service, total]) => [service, round((total / orders) * 1000, 6)]));
  const codeMessages = orders;
  return {
    infraUsdPer1000Orders: round(Object.values(per1000).reduce((sum, v) => sum + v, 0), 5),
    infraBreakdownUsdPer1000: per1000,
    requestsPerOrder,
    dynamodbUnitsPerOrder: { read: round(readUnits / orders, 3), write: round(writeUnits / orders, 3) },
    lambdaPerOrder: Object.fromEntries(
      Object.entries(phase.invocations).map(([name, i]) => [name, { invocations: round(i.count / orders, 3), avgDurationMs: round(i.totalMs / i.count, 1) }]),
    ),
    logBytesPerOrder: round(logBytes / orders, 0),
    messageFees: {
      messagesPerOrder: round(codeMessages / orders, 3),
      note: 'One SMS (or WhatsApp message) per delivered unit, billed by the channel per destination country; not included in the infrastructure cost.',
    },
    prices: PRICES,
    assumptions: COST_ASSUMPTIONS,
    fromPhase: { ordersPerMin: phase.ordersPerMin, orders },
  };
}
