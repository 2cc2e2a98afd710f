// A real store holds every order it sends a webhook about; locally the webhook is the only source,
// so the local API records each paid order in the platform's store fake before the handler runs.
// The write-back and the payment check then find the order in the store, as on a real one.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { moduleConfig } from '#adapters/module-kit';
import type { PlatformModule, RunningStoreFake } from '#adapters/platforms/platform-module';
import type { LambdaHandler } from './pipeline';

export function mirrored(module: PlatformModule, fake: RunningStoreFake | undefined, switch_: { enabled: boolean }, handler: LambdaHandler): LambdaHandler {
  if (!fake) return handler;
  const adapter = module.create(moduleConfig(module), { defaultLocale: 'ar' });
  return async (event: never, context: never) => {
    if (switch_.enabled) {
      try {
        const { body, isBase64Encoded } = event as APIGatewayProxyEventV2;
        const intent = adapter.interpret(JSON.parse(Buffer.from(body ?? '', isBase64Encoded ? 'base64' : 'utf8').toString('utf8')));
        if (intent.type === 'PAID_ORDER') fake.placeOrder(intent.order.storeId, { orderId: intent.order.orderId, lines: intent.order.lines });
      } catch {
        // Not an order the store would hold (malformed, another event): the handler answers it.
      }
    }
    return handler(event, context);
  };
}
