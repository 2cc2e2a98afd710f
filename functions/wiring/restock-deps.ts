// Composition of the restock functions (stream, reorder poll, sweep): stores, queues, alerts and the
// supplier modules, each built once per container from its credentials secret.
import { SnsAlertPublisher } from '#adapters/aws/sns-alerts';
import { SqsOrderQueue, SqsReorderPollQueue } from '#adapters/aws/sqs-queues';
import type { SecretReader } from '#adapters/aws/secrets';
import { findModule, moduleConfig } from '#adapters/module-kit';
import type { SupplierModule } from '#adapters/suppliers/supplier-module';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { BalanceCache } from '#core/balance-cache';
import type { InventoryDeps } from '#core/inventory-events';
import type { Supplier } from '#core/ports/supplier';
import * as z from 'zod/mini';
import { createClients, createSecretReader, type Clients } from './clients';
import { loadConfig, type Config } from './config';
import { memo } from './memo';
import { coreLogger } from './powertools';
import { createStores, loadCodeVault, type Stores } from './stores';

/**
 * The supplier module `name` configured from its secret (a JSON object). Throws for an unknown name or
 * a malformed secret; the message names the missing or wrong fields, never a credential value.
 */
export function createSupplier(name: string, rawSecret: string, env: NodeJS.ProcessEnv = process.env): Supplier {
  const module: SupplierModule = findModule(SUPPLIERS, 'supplier', name);
  let json: unknown;
  try {
    json = JSON.parse(rawSecret);
  } catch {
    throw new Error(`Supplier "${name}": the credentials secret is not JSON`);
  }
  const parsed = z.safeParse(module.credentials, json);
  if (!parsed.success) throw new Error(`Supplier "${name}": ${parsed.error.issues.map((issue) => credentialProblem(issue, json)).join('; ')}`);
  return module.create(parsed.data, moduleConfig(module, env));
}

/** `credential "clientSecret" is missing`, `credential "environment" must be "sandbox" or "production"`: never a value. */
function credentialProblem(issue: z.core.$ZodIssue, json: unknown): string {
  const key = issue.path.join('.');
  const given = typeof json === 'object' && json !== null && issue.path.length > 0 && issue.path[0] in json;
  if (issue.code === 'invalid_value') return `credential "${key}" must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
  if (!given) return `credential "${key}" is missing`;
  return issue.code === 'invalid_type' ? `credential "${key}" must be a ${issue.expected}` : `credential "${key}" is invalid`;
}

/** Suppliers by name, built on first use and kept; a failed secret read or build is tried again next time. */
export function supplierCache(config: Pick<Config, 'SUPPLIER_SECRET_PREFIX'>, secrets: SecretReader, env: NodeJS.ProcessEnv = process.env) {
  const suppliers = new Map<string, Promise<Supplier | undefined>>();
  return (name: string): Promise<Supplier | undefined> => {
    if (!suppliers.has(name)) {
      const created = secrets.get(`${config.SUPPLIER_SECRET_PREFIX}${name}`).then((raw) => (raw ? createSupplier(name, raw, env) : undefined));
      created.catch(() => suppliers.delete(name));
      suppliers.set(name, created);
    }
    return suppliers.get(name)!;
  };
}

export async function createRestockDeps(
  config: Config,
  clients: Clients = createClients(),
  env: NodeJS.ProcessEnv = process.env,
  stores?: Stores,
): Promise<InventoryDeps> {
  const secrets = createSecretReader(config);
  stores ??= createStores(config, clients.dynamo, () => loadCodeVault(config, secrets));
  const supplier = supplierCache(config, secrets, env);
  const clock = { now: () => new Date() };
  return {
    ...stores,
    orderQueue: new SqsOrderQueue(clients.sqs, config.ORDERS_QUEUE_URL),
    pollQueue: new SqsReorderPollQueue(clients.sqs, config.REORDER_POLL_QUEUE_URL),
    alerts: new SnsAlertPublisher(clients.sns, config.ALERTS_TOPIC_ARN),
    supplier,
    balances: new BalanceCache(supplier, stores.supplierHealth, clock, coreLogger, config.SUPPLIER_BALANCE_CACHE_SECONDS),
    clock,
    log: coreLogger,
    settings: {
      reorderLeaseSeconds: config.REORDER_LEASE_SECONDS,
      reorderPollDelaySeconds: config.REORDER_POLL_DELAY_SECONDS,
      reorderFailureBackoffSeconds: config.REORDER_FAILURE_BACKOFF_SECONDS,
      reorderCooldownSeconds: config.REORDER_COOLDOWN_SECONDS,
      reorderMaxAgeSeconds: config.REORDER_MAX_AGE_SECONDS,
      lateCheckWindowSeconds: config.LATE_CHECK_WINDOW_SECONDS,
      lateCheckIntervalSeconds: config.LATE_CHECK_INTERVAL_SECONDS,
      reorderSizing: config.REORDER_SIZING,
      reorderMaxQuantity: config.REORDER_MAX_QUANTITY,
      lowBalanceReorders: config.LOW_BALANCE_REORDERS,
    },
  };
}

/** The container's restock dependencies, built on first use. */
export const restockDeps = memo(() => createRestockDeps(loadConfig()));
