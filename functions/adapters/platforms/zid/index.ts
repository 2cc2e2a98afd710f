export { ZidAdapter, ZID_ORDER_EVENTS, locateZidOrder } from './zid-adapter';
export type { ZidAdapterOptions } from './zid-adapter';
export { parseBasicAuth, verifyBasicAuth } from './basic-auth';
