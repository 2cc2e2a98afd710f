// Faults injected into the real handlers' DynamoDB calls, at the SDK middleware level: throttling and
// transaction conflicts answered as DynamoDB answers them (so the SDK's own retries and error parsing
// run), and freezes at the points where a crash hurts most. A frozen call never returns, like a process
// killed there: nothing after it runs, and the local event source fails the invocation at its timeout.
//
// Faults apply only inside handler invocations (an AsyncLocalStorage scope set by `wrapHandler`), so the
// scenario's own reads and the audit go through untouched. `wrapHandler` also enforces the function
// timeout as Lambda does: an invocation past it fails, and is dead from then on (any DynamoDB call it
// still makes never returns), so it cannot act after its send lease ran out.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaHandler } from '#local/pipeline';

/**
 * Where a worker "dies": right after it claimed a code and took the unit's send lease (in the claim
 * transaction, or a resumed unit's lease update), nothing sent; or after the channel accepted the
 * message, before the unit is recorded delivered.
 */
export type CrashPoint = 'after-claim' | 'before-mark-delivered';

export interface DynamoFaultPlan {
  /** Share (0..1) of DynamoDB requests answered ProvisionedThroughputExceededException. */
  throttleRate?: number;
  /** Share (0..1) of TransactWriteItems requests answered TransactionCanceledException (TransactionConflict). */
  conflictRate?: number;
  /** How many invocations to freeze at each point. */
  crashes?: Partial<Record<CrashPoint, number>>;
  /** Functions whose calls are hit (default: all handlers). */
  functions?: string[];
}

export interface FaultCounts {
  throttled: number;
  conflicts: number;
  crashes: Record<CrashPoint, number>;
  /** markDelivered calls that failed for good (after every retry): each may cost one repeated message. */
  deliveryRecordsLost: number;
  /** Invocations stopped at their function timeout (the frozen ones included). */
  timeouts: number;
}

interface Scope {
  functionName: string;
  /** Past its timeout: Lambda would have stopped it. */
  dead: boolean;
}

class InvocationTimeout extends Error {
  override readonly name = 'InvocationTimeout';
}

interface CommandInput {
  UpdateExpression?: string;
  TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> }; Update?: { UpdateExpression?: string } }>;
}

const DYNAMO_ERROR = 'com.amazonaws.dynamodb.v20120810#';
const never = () => new Promise<never>(() => undefined);

/** An HTTP answer as DynamoDB gives it, for the SDK to parse: a 400 with the error type in the body. */
function errorResponse(type: string, body: Record<string, unknown>) {
  return {
    response: {
      statusCode: 400,
      reason: 'Bad Request',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `chaos-${Math.random().toString(36).slice(2)}` },
      body: Buffer.from(JSON.stringify({ __type: `${DYNAMO_ERROR}${type}`, ...body })),
    },
    output: undefined,
  };
}

const takesSendLease = (update: { UpdateExpression?: string } | undefined) => update?.UpdateExpression?.startsWith('SET sendOwner = :owner') === true;

const crashPointOf = (command: string, input: CommandInput): CrashPoint | undefined => {
  if (command === 'TransactWriteItemsCommand') {
    // A claim of a new unit writes the unit with its sender's lease; a resumed unit's lease is an update in a transaction.
    const leases = input.TransactItems?.some((t) => t.Put?.Item?.sendOwner !== undefined || takesSendLease(t.Update));
    return leases ? 'after-claim' : undefined;
  }
  if (command !== 'UpdateItemCommand') return undefined;
  if (takesSendLease(input)) return 'after-claim';
  if (input.UpdateExpression?.startsWith('SET #status = :delivered')) return 'before-mark-delivered';
  return undefined;
};

export class FaultInjector {
  private readonly scope = new AsyncLocalStorage<Scope>();
  private readonly stacks = new WeakSet<object>();
  private plan: DynamoFaultPlan = {};
  private crashesLeft: Partial<Record<CrashPoint, number>> = {};
  private restore?: () => void;
  readonly counts: FaultCounts = { throttled: 0, conflicts: 0, crashes: { 'after-claim': 0, 'before-mark-delivered': 0 }, deliveryRecordsLost: 0, timeouts: 0 };

  /** `timeouts`: function timeouts in ms, by function name (Lambda's, scaled down to the scenario). */
  constructor(
    private readonly timeouts: Record<string, number> = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts (or changes) the faults; `stop()` ends them, and the pipeline recovers on its own. */
  start(plan: DynamoFaultPlan): void {
    this.plan = plan;
    this.crashesLeft = { ...plan.crashes };
  }

  stop(): void {
    this.plan = {};
    this.crashesLeft = {};
  }

  get totalInjected(): number {
    return this.counts.throttled + this.counts.conflicts + this.counts.crashes['after-claim'] + this.counts.crashes['before-mark-delivered'];
  }

  /** For PipelineOptions.wrapHandler: runs each invocation in a scope the faults can see, under its function timeout. */
  readonly wrapHandler =
    (functionName: string, handler: LambdaHandler): LambdaHandler =>
    async (event, context) => {
      const scope: Scope = { functionName, dead: false };
      const call = this.scope.run(scope, () => handler(event, context));
      const limit = this.timeouts[functionName];
      if (!limit) return call;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          scope.dead = true;
          this.counts.timeouts++;
          reject(new InvocationTimeout(`${functionName} timed out after ${limit} ms`));
        }, limit);
      });
      try {
        return await Promise.race([call, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };

  /**
   * Adds the fault middleware to every DynamoDB client's stack on its first call (the handlers build
   * their clients themselves). The document client shares its base client's stack.
   */
  install(): void {
    const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (...args: unknown[]) => unknown };
    const original = base.send;
    const injector = this;
    base.send = function (this: { middlewareStack: { add: Function; addRelativeTo?: Function }; config?: { serviceId?: string } }, ...args: unknown[]) {
      if (this.config?.serviceId === 'DynamoDB' && !injector.stacks.has(this.middlewareStack)) {
        injector.stacks.add(this.middlewareStack);
        injector.attach(this.middlewareStack);
      }
      return original.apply(this, args);
    };
    this.restore = () => {
      base.send = original;
    };
  }

  uninstall(): void {
    this.restore?.();
  }

  private active(): boolean {
    const scope = this.scope.getStore();
    if (!scope) return false;
    return !this.plan.functions || this.plan.functions.includes(scope.functionName);
  }

  private takeCrash(point: CrashPoint | undefined): boolean {
    if (!point || !this.active() || !(this.crashesLeft[point] ?? 0)) return false;
    this.crashesLeft[point]!--;
    this.counts.crashes[point]++;
    return true;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private attach(stack: { add: Function }): void {
    // Outermost: sees the command and its final outcome, after the SDK's retries.
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: CommandInput }) => {
        if (this.scope.getStore()?.dead) return never();
        const point = crashPointOf(context.commandName ?? '', args.input);
        if (point === 'before-mark-delivered' && this.takeCrash(point)) return never();
        try {
          const result = await next(args);
          if (this.scope.getStore()?.dead || (point === 'after-claim' && this.takeCrash(point))) return never();
          return result;
        } catch (err) {
          if (point === 'before-mark-delivered' && this.active()) this.counts.deliveryRecordsLost++;
          throw err;
        }
      },
      { step: 'initialize', priority: 'high', name: 'chaosCrashes' },
    );
    // Innermost: one decision per HTTP attempt, answered as DynamoDB would, so the SDK retries throttling.
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { request?: { body?: string } }) => {
        if (this.active()) {
          if (context.commandName === 'TransactWriteItemsCommand' && this.random() < (this.plan.conflictRate ?? 0)) {
            this.counts.conflicts++;
            const items = (JSON.parse(args.request?.body ?? '{}') as CommandInput).TransactItems?.length ?? 1;
            const reasons = Array.from({ length: items }, (_, i) => (i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
            return errorResponse('TransactionCanceledException', {
              Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
              CancellationReasons: reasons,
            });
          }
          if (this.random() < (this.plan.throttleRate ?? 0)) {
            this.counts.throttled++;
            return errorResponse('ProvisionedThroughputExceededException', { message: 'The level of configured provisioned throughput for the table was exceeded.' });
          }
        }
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'chaosResponses' },
    );
  }
}
