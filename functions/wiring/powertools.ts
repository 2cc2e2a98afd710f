// One logger and tracer per container, shared by every handler (service name from env), and the
// metrics of the invocation in progress: `instrument` gives each invocation its own Metrics, so
// concurrent invocations in one process (the local runtime) never flush each other's metrics.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { CoreLogger } from '#core/ports/runtime';

export const logger = new Logger();
export const tracer = new Tracer();

const namespace = () => process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'StreamSync';
const invocationMetrics = new AsyncLocalStorage<Metrics>();
/** Outside an instrumented invocation (a script, a test calling a raw handler): one shared instance. */
let outside: Metrics | undefined;

export const newMetrics = (): Metrics => new Metrics({ namespace: namespace() });

/** The metrics of the current invocation. */
export function metrics(): Metrics {
  return invocationMetrics.getStore() ?? (outside ??= newMetrics());
}

/** Runs `fn` with `scope` as the invocation's metrics. */
export const withMetrics = <T>(scope: Metrics, fn: () => Promise<T>): Promise<T> => invocationMetrics.run(scope, fn);

export const coreLogger: CoreLogger = {
  debug: (message, data) => logger.debug(message, { ...data }),
  info: (message, data) => logger.info(message, { ...data }),
  warn: (message, data) => logger.warn(message, { ...data }),
  error: (message, data) => logger.error(message, { ...data }),
};
