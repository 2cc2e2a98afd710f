// The stack's functions by name, for the infra tests.
import type { StreamSyncFunction } from '#lib/streamsync-function';
import type { StreamSyncStack } from '#lib/streamsync-stack';

export const functionsOf = (stack: StreamSyncStack): Record<'webhook' | 'delivery' | 'restockStream' | 'restockPoll' | 'restockSweep' | 'reveal' | 'writeBack', StreamSyncFunction> => ({
  webhook: stack.ingest.handler,
  delivery: stack.delivery.handler,
  restockStream: stack.inventory.streamHandler,
  restockPoll: stack.inventory.pollHandler,
  restockSweep: stack.inventory.sweepHandler,
  reveal: stack.reveal.handler,
  writeBack: stack.writeBack.handler,
});
