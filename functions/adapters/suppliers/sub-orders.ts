// What every supplier adapter does with a reorder's sub-orders (the supplier's per-order card limit
// splits one reorder into several). They go a few at a time: one after another, a 200-card reorder
// at a 10-card limit is 20 round trips to place and 20 more to collect, seconds a customer waits.

/** Sub-orders in flight at once, per reorder: a handful, well inside any supplier's rate limit. */
export const SUB_ORDERS_AT_ONCE = 5;

export interface SubOrderSteps<P, S> {
  /** Nothing was ever sent under this reference: place without looking up first. */
  firstAttempt: boolean;
  /** The sub-order as the supplier has it, or undefined if it was never placed. */
  lookup: (part: P) => Promise<S | undefined>;
  /** Places it (the adapter's own unknown-outcome handling looks it up again). */
  place: (part: P) => Promise<S>;
  /** The supplier refused it for good: no further sub-order is placed. */
  refused: (state: S) => boolean;
}

/** An adapter's `subOrdersAtOnce` option, checked: `SUB_ORDERS_AT_ONCE` unless set. */
export function subOrderWidth(option: number | undefined): number {
  const width = option ?? SUB_ORDERS_AT_ONCE;
  if (!Number.isInteger(width) || width < 1) throw new Error('subOrdersAtOnce must be a positive integer');
  return width;
}

/**
 * Looks each sub-order up (unless this is the first attempt) and places those the supplier has never
 * seen: the first alone, then `SUB_ORDERS_AT_ONCE` at a time. After a wave with a refused sub-order
 * nothing more is placed, but the rest are still looked up, so codes already paid for are collected.
 * A wave is always let finish before an error is thrown, so no call is left running after the attempt.
 */
export async function placeSubOrders<P, S>(parts: readonly P[], steps: SubOrderSteps<P, S>, width = SUB_ORDERS_AT_ONCE): Promise<Array<{ part: P; state?: S }>> {
  const states: Array<{ part: P; state?: S }> = [];
  let refused = false;
  // The first sub-order goes alone: a supplier refusing everything (price changed, no balance, out
  // of stock) is asked once, and then nothing more is bought.
  for (let start = 0; start < parts.length; start += start === 0 ? 1 : width) {
    const wave = parts.slice(start, start === 0 ? 1 : start + width);
    const placing = !refused;
    const settled = await Promise.allSettled(
      wave.map(async (part) => {
        let state = steps.firstAttempt ? undefined : await steps.lookup(part);
        if (state === undefined && placing) state = await steps.place(part);
        return { part, state };
      }),
    );
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    for (const outcome of settled as Array<PromiseFulfilledResult<{ part: P; state?: S }>>) {
      states.push(outcome.value);
      if (outcome.value.state !== undefined && steps.refused(outcome.value.state)) refused = true;
    }
  }
  return states;
}
