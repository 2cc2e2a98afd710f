// Every chaos scenario, in the order `npm run chaos` runs them.
import type { Scenario } from '../scenario';
import { channelFlaky, channelRejectsOne } from './channels';
import { crashAfterClaim, crashAfterSend, visibilityExpiry } from './crashes';
import { dynamoThrottling } from './dynamo';
import { duplicateStorm, oversizedAndNoContact } from './edges';
import { supplier5xx, supplierDown, supplierPendingForever, supplierResold, supplierShort, supplierSlow } from './suppliers';

export const SCENARIOS: readonly Scenario[] = [
  duplicateStorm,
  crashAfterClaim,
  crashAfterSend,
  visibilityExpiry,
  supplierDown,
  supplierSlow,
  supplier5xx,
  supplierResold,
  supplierShort,
  supplierPendingForever,
  channelFlaky,
  channelRejectsOne,
  dynamoThrottling,
  oversizedAndNoContact,
];

export const scenarioNamed = (name: string): Scenario | undefined => SCENARIOS.find((s) => s.name === name);
