// The SES SDK, loaded on first send rather than when the module is imported: every delivery function
// bundles every channel module, and requiring @aws-sdk/client-sesv2 adds tens of milliseconds to the
// cold start of a function configured for another channel. require, not import(): the bundle is
// CommonJS, and the runtime-provided SDK is found through NODE_PATH, which ES module resolution ignores.
import type * as Ses from '@aws-sdk/client-sesv2';

export const sesSdk = (): typeof Ses => require('@aws-sdk/client-sesv2') as typeof Ses;
