// Persistence port of the velocity limits: one counter per customer identity, SKU and window.
export interface VelocityCharge {
  /** A normalised identity: `phone:+9665…` or `email:name@example.com`. */
  identity: string;
  sku: string;
  /** Start of the fixed window (epoch ms): the counter's key. */
  windowStart: number;
  windowHours: number;
  /** When the counter may be deleted (epoch seconds). */
  expiresAtSeconds: number;
  /** The order charged: charging it again (a retried message) counts nothing. */
  orderKey: string;
  units: number;
  maxCodes: number;
}

export type ChargeResult =
  /** Counted now, or counted for this order before. */
  | { result: 'CHARGED' | 'ALREADY_CHARGED' }
  /** Over the limit: nothing counted. `count`: what the window held already. */
  | { result: 'OVER'; count: number };

export interface VelocityLedger {
  /** Adds `units` for the order unless that takes the window over `maxCodes` (one conditional write). */
  charge(charge: VelocityCharge): Promise<ChargeResult>;
}
