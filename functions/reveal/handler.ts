// Reveal function (API Gateway HTTP API, payload 2.0): GET /c/{token} → the page with the "Show my code"
// button, which spends nothing (link previews and mail scanners fetch links before the customer);
// POST /c/{token} (that button) → the one-time code page.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openRevealLink, revealCode, type RevealPageView } from '#core/reveal-code';
import { instrument } from '#wiring/instrument';
import { logger, metrics } from '#wiring/powertools';
import { revealDeps } from '#wiring/reveal-deps';
import { MissThrottle } from './miss-throttle';
import { localeFromAcceptLanguage } from './pick-locale';
import { renderRevealPage } from './render-page';

/**
 * The local layer of three. API Gateway's route throttle (lib/reveal.ts) caps the route as a whole, and
 * 144 random bits per token make guessing hopeless at any rate it lets through; this one keeps a single address that
 * keeps missing (a scanner, a mangled link) from costing a table read per try. It lives in the
 * container, so it is per instance and forgotten on a cold start: a speed bump, not a lock.
 */
export const MISS_LIMIT = { limit: 5, windowSeconds: 300 } as const;
const throttle = new MissThrottle(MISS_LIMIT);

// One metric per outcome, as the webhook's WebhookAccepted/WebhookRejected.
const METRIC: Record<RevealPageView['state'], string> = { CONFIRM: 'RevealLinkOpened', REVEAL: 'RevealShown', ALREADY_REVEALED: 'RevealAlreadyShown', EXPIRED: 'RevealExpired', NOT_FOUND: 'RevealNotFound' };

export const rawHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const source = event.requestContext.http.sourceIp;
  const requestLocale = localeFromAcceptLanguage(event.headers?.['accept-language']);
  const now = Date.now();
  const retryAfterSeconds = throttle.retryAfterSeconds(source, now);
  if (retryAfterSeconds !== undefined) {
    logger.warn('Reveal page throttled', { retryAfterSeconds });
    metrics().addMetric('RevealThrottled', MetricUnit.Count, 1);
    return renderRevealPage({ state: 'TOO_MANY_REQUESTS', retryAfterSeconds }, requestLocale);
  }
  // Only a POST may spend the link; any other method only looks (the API routes GET and POST here).
  const method = event.requestContext.http.method === 'POST' ? 'POST' : 'GET';
  const answer = await (method === 'POST' ? revealCode : openRevealLink)(await revealDeps(), event.pathParameters?.token ?? '');
  // A miss is a miss whichever method asked: the same count, the same turn-away.
  if (answer.view.state === 'NOT_FOUND') throttle.recordMiss(source, now);
  // The unit's key, the method and the state only: never the path, which holds the token.
  logger.info('Reveal page answered', { method, state: answer.view.state, ...answer.unit });
  metrics().addMetric(METRIC[answer.view.state], MetricUnit.Count, 1);
  return renderRevealPage(answer.view, answer.locale ?? requestLocale);
};

export const handler = instrument(rawHandler);
