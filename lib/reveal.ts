// Flow step 2c: customer's phone ──HTTPS──▶ HTTP API (GET /c/{token}, then POST) ──▶ reveal fn ──▶ the code, once.
// The delivery function links here (REVEAL_BASE_URL). A GET reads the link's grant and the unit's reveal
// status and answers the page with the "Show my code" button; its POST reads the code and marks the unit
// revealed. It can do nothing else with the table.
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { Ingest } from './ingest';
import { acknowledge } from './nag';
import type { CodeKeys } from './data';
import { StreamSyncFunction, type StreamSyncResources } from './streamsync-function';

export const REVEAL_PATH = '/c/{token}';
/** Opening the link (spends nothing: previews and scanners fetch links too), then the button's POST (shows the code). */
export const REVEAL_METHODS = [apigw.HttpMethod.GET, apigw.HttpMethod.POST] as const;
export const REVEAL_ROUTE_KEYS = REVEAL_METHODS.map((method) => `${method} ${REVEAL_PATH}`);

/**
 * Each route's share of the stage (GET and POST each have it), well below the webhooks' 300/s: people open links one at a time,
 * so 20/s (bursts of 40) is far above real use, and a flood of guesses stops at the gateway before it
 * costs a Lambda invocation. The global layer of three (functions/reveal/handler.ts has the others).
 */
export const REVEAL_THROTTLE: apigw.ThrottleSettings = { rateLimit: 20, burstLimit: 40 };

export interface RevealProps {
  readonly resources: StreamSyncResources;
  /** The codes' keys: this construct's functions send or reveal codes (open). */
  readonly codeKeys: CodeKeys;
  /** The HTTP API the route is added to (the webhooks' one: one domain, one stage). */
  readonly ingest: Ingest;
}

export class Reveal extends Construct {
  public readonly handler: StreamSyncFunction;
  /** What REVEAL_BASE_URL is set to: the stage URL, links being `<it>c/<token>`. */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: RevealProps) {
    super(scope, id);

    this.handler = new StreamSyncFunction(this, 'RevealFn', {
      entry: 'functions/reveal/handler.ts',
      description: 'Shows the code behind a one-time reveal link, once',
      serviceName: 'reveal',
      resources: props.resources,
      // A person is waiting on a phone; the HTTP API itself gives up after 30 s.
      timeout: Duration.seconds(10),
    })
      .grantRevealPage()
      .bindCodeKeys(props.codeKeys, 'open');

    const routes = props.ingest.api.addRoutes({
      path: REVEAL_PATH,
      methods: [...REVEAL_METHODS],
      integration: new HttpLambdaIntegration('Reveal', this.handler),
    });
    routes.forEach((route, i) => {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'Customers open the link from a message on their phone, without any account or credentials. The 144-bit random token in the path is the credential: only its SHA-256 is stored, a wrong or malformed one gets the same 404 and changes nothing, opening it (GET) shows no code and changes nothing, and the code behind a right one is shown once, to the POST of the page\'s button.',
      );
      props.ingest.throttleRoute(REVEAL_ROUTE_KEYS[i], REVEAL_THROTTLE, route);
    });
    this.baseUrl = props.ingest.stage.url;
  }
}
