// The one way a handler is built: middy with the Powertools tracer and logger middlewares, and metrics
// of its own for every invocation, published when it ends (whatever the outcome).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, newMetrics, tracer, withMetrics } from './powertools';

export type RawHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>;

/** `handler` wrapped for Lambda. Export the raw function beside it, so tests can call either. */
export function instrument<Event, Result>(handler: RawHandler<Event, Result>): RawHandler<Event, Result> {
  const wrapped = middy(handler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger, { clearState: true }));
  return (event, context) => {
    const scope = newMetrics();
    return withMetrics(scope, async () => {
      try {
        return (await wrapped(event, context)) as Result;
      } finally {
        scope.publishStoredMetrics();
      }
    });
  };
}
