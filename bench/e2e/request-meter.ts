// Counts every AWS request this process makes, per service and operation, and the DynamoDB capacity
// each one consumed (ReturnConsumedCapacity is switched on for every DynamoDB call that accepts it).
// Installed by patching the one smithy Client class all SDK v3 clients share, so the handlers run
// unchanged: what is counted is exactly what they send.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from '@smithy/core/client';

export interface OperationCount {
  requests: number;
  readUnits: number;
  writeUnits: number;
}

/** `<caller>|<service>.<operation>` → count; the caller is the function whose invocation sent it. */
export type RequestCounts = Record<string, OperationCount>;

/** Which function an async call chain belongs to; calls outside any invocation are `event-source`. */
export const currentFunction = new AsyncLocalStorage<string>();

interface CapacityLike {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan',
  'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
]);

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** The document client names its commands after the item (`PutCommand`); DynamoDB bills the API operation. */
const DOCUMENT_CLIENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
};

/** API operation of a command instance: `QueryCommand` → `Query`, document `PutCommand` → `PutItem`. */
function operationOf(command: object): string {
  const name = command.constructor.name.replace(/Command$/, '');
  return DOCUMENT_CLIENT_OPERATIONS[name] ?? name;
}

function capacityOf(operation: string, consumed: CapacityLike | CapacityLike[] | undefined): { read: number; write: number } {
  const units = { read: 0, write: 0 };
  for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    const read = entry.ReadCapacityUnits ?? 0;
    const write = entry.WriteCapacityUnits ?? 0;
    // Engines that only give the total: attribute it by the kind of operation.
    if (read === 0 && write === 0 && entry.CapacityUnits) {
      if (READ_OPERATIONS.has(operation)) units.read += entry.CapacityUnits;
      else units.write += entry.CapacityUnits;
    } else {
      units.read += read;
      units.write += write;
    }
  }
  return units;
}

/**
 * DynamoDB bills 2 write units per item (up to 1 KB) of a transaction, ConditionCheck items included.
 * DynamoDB Local reports nothing for a ConditionCheck, so a transaction counts at least that.
 */
const transactionFloor = (input: Record<string, unknown>) => 2 * ((input.TransactItems as unknown[] | undefined)?.length ?? 0);

export interface RequestMeter {
  snapshot(): RequestCounts;
  reset(): void;
  uninstall(): void;
}

export function installRequestMeter(): RequestMeter {
  let counts: RequestCounts = {};
  const original = Client.prototype.send;
  const metered = async function (this: Client<never, never, never, never>, command: { input: Record<string, unknown> }, ...rest: unknown[]) {
    const service = (this.config as { serviceId?: string }).serviceId ?? 'unknown';
    const operation = operationOf(command);
    const key = `${currentFunction.getStore() ?? 'event-source'}|${service}.${operation}`;
    const count = (counts[key] ??= { requests: 0, readUnits: 0, writeUnits: 0 });
    count.requests++;
    const wantsCapacity = service === 'DynamoDB' && CAPACITY_OPERATIONS.has(operation) && command.input.ReturnConsumedCapacity === undefined;
    if (wantsCapacity) command.input.ReturnConsumedCapacity = 'TOTAL';
    try {
      const output = (await (original as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest)) as { ConsumedCapacity?: CapacityLike | CapacityLike[] };
      const units = capacityOf(operation, output?.ConsumedCapacity);
      count.readUnits += units.read;
      count.writeUnits += operation === 'TransactWriteItems' ? Math.max(units.write, transactionFloor(command.input)) : units.write;
      return output;
    } catch (err) {
      // A cancelled transaction or failed condition still consumes write capacity on AWS; DynamoDB
      // Local does not report it on errors, so it is counted from the request's own items below.
      if (wantsCapacity && operation === 'TransactWriteItems') {
        count.writeUnits += transactionFloor(command.input);
      } else if (wantsCapacity && !READ_OPERATIONS.has(operation)) {
        count.writeUnits += 1;
      }
      throw err;
    }
  };
  Client.prototype.send = metered as typeof Client.prototype.send;
  return {
    snapshot: () => structuredClone(counts),
    reset: () => {
      counts = {};
    },
    uninstall: () => {
      Client.prototype.send = original;
    },
  };
}
