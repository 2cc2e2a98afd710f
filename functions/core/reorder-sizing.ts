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
  /** The wake at the end of the pause after a reorder completed: what still waits is that reorder's follow-up. */
  waking?: boolean;
  /**
   * In the pause after a reorder: the codes the reorders that finished in it received, which the
   * available count may not show yet. Counted as on their way; only customers waiting are bought for.
   */
  paused?: { settling: number };
  /**
   * A reorder of the last hour received fewer codes than it bought: follow-ups are batches again, as
   * slivers to a supplier that falls short may never be delivered at all.
   */
  shortLately?: boolean;
}

export interface ReorderSize {
  quantity: number;
  /** What the demand asked for, when the cap cut it. */
  cappedFrom?: number;
}

/**
 * Enough for everyone waiting plus the threshold, minus what is here and on its way, and at least
 * `reorderQuantity` (the merchant's batch size). While reorders are in flight, in the pause after one
 * and at its wake, a follow-up is bought only when customers wait, and only for what they miss (unless
 * a recent reorder fell short). A SKU that keeps no stock (threshold 0) buys exactly what waits, every
 * wave. Never more on order at once than the cap.
 */
export function sizeReorder(p: DemandPicture): ReorderSize {
  // While customers wait, buy for them and to restore the threshold (the filler hands the threshold's
  // codes to the oldest of them); with nobody waiting, reorders in flight are enough.
  // In the pause, nobody waiting: the wake at its end restores the threshold.
  const missing = p.backlog > 0 || (p.inFlight === 0 && !p.paused) ? p.backlog + p.threshold - p.available - p.outstanding - (p.paused?.settling ?? 0) : 0;
  if (missing <= 0) return { quantity: 0 };
  // The merchant's batch size is the least a reorder buys. A follow-up for customers still waiting
  // (reorders out, or in or right after the pause one completed) tops up by exactly what is missing: the
  // batches before it met the batch size, and padding a burst's last follow-up to a batch is what it
  // left unsold. With nobody waiting, or after a reorder that fell short, a batch again, never slivers.
  // A SKU that keeps no stock always buys exactly what waits.
  const followUp = p.backlog > 0 && !p.shortLately && (p.inFlight > 0 || p.waking === true || p.paused !== undefined);
  const wanted = p.threshold === 0 || followUp ? missing : Math.max(missing, p.reorderQuantity);
  const room = Math.max(0, p.cap - p.outstanding);
  return wanted > room ? { quantity: room, cappedFrom: wanted } : { quantity: wanted };
}
