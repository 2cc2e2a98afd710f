// One logger, metrics and tracer per container, shared by every handler (service name from env).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { CoreLogger } from '#core/deps';

export const logger = new Logger();
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'StreamSync' });
export const tracer = new Tracer();

export const coreLogger: CoreLogger = {
  debug: (message, data) => logger.debug(message, { ...data }),
  info: (message, data) => logger.info(message, { ...data }),
  warn: (message, data) => logger.warn(message, { ...data }),
  error: (message, data) => logger.error(message, { ...data }),
};
