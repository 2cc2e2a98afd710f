export { SallaAdapter, SALLA_ORDER_EVENTS, sallaSignatureOf, verifySallaSignature, verifySallaToken } from './salla-adapter';
export type { SallaAdapterOptions } from './salla-adapter';
export { createSallaPaidRule, NEVER_PAID_STATUSES, CANCEL_STATUSES, statusSlug } from './paid-rule';
export type { SallaPaidRule, PaidDecision } from './paid-rule';
