// How much a reorder buys. Pure: the decision reads the counts, this turns them into a quantity.

export interface DemandPicture {
  threshold: number;
  reorderQuantity: number;
  /** Most units in reorders at once (the merchant's budget). */
  cap: number;
  /** Codes available now (bounded count: at least threshold + backlog when that many exist). */
  available: number;
  /** Units waiting for stock (bounded count). */
  backlog: number;
  /** Units reorders in flight still owe (ordered minus received). */
  outstanding: number;
  /** Reorders in flight now: a follow-up tops them up by exactly what is missing. */
  inFlight: number;
}

export interface ReorderSize {
  quantity: number;
  /** What the demand asked for, when the cap cut it. */
  cappedFrom?: number;
}

/**
 * A first reorder buys enough for everyone waiting plus the threshold, minus what is here, and at
 * least `reorderQuantity` (the merchant's batch size). A follow-up, while reorders are in flight, buys
 * exactly the waiting units they do not cover; so does a SKU that keeps no stock (threshold 0: buy per
 * order). Never more on order at once than the cap.
 */
export function sizeReorder(p: DemandPicture): ReorderSize {
  // The first reorder restores the threshold; a follow-up only covers customers the ones in flight do not.
  const missing = p.backlog + (p.inFlight > 0 ? 0 : p.threshold) - p.available - p.outstanding;
  if (missing <= 0) return { quantity: 0 };
  const wanted = p.inFlight > 0 || p.threshold === 0 ? missing : Math.max(missing, p.reorderQuantity);
  const room = Math.max(0, p.cap - p.outstanding);
  return wanted > room ? { quantity: room, cappedFrom: wanted } : { quantity: wanted };
}
