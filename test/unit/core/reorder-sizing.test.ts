// sizeReorder: what waits plus the threshold on the first reorder (at least the batch), exactly the
// uncovered backlog on a follow-up or a buy-per-order SKU, never more on order than the cap.
import fc from 'fast-check';
import { sizeReorder, type DemandPicture } from '#core/reorder-sizing';

const picture = (p: Partial<DemandPicture>): DemandPicture => ({ threshold: 5, reorderQuantity: 20, cap: 500, available: 0, backlog: 0, outstanding: 0, inFlight: 0, ...p });

describe('sizeReorder', () => {
  it.each([
    ['stock at the threshold, nobody waiting', picture({ available: 5 }), 0],
    ['below the threshold: the batch size', picture({ available: 2 }), 20],
    ['28 waiting, none in stock: backlog + threshold', picture({ backlog: 28 }), 33],
    ['3 waiting, 2 in stock: still the batch size', picture({ backlog: 3, available: 2 }), 20],
    ['a follow-up: the 8 waiting units the reorder of 20 in flight does not cover, and the threshold: 13', picture({ backlog: 28, outstanding: 20, inFlight: 1 }), 13],
    ['a burst\'s last follow-up: 2 missing, not padded to the batch', picture({ backlog: 150, available: 19, outstanding: 134, inFlight: 5 }), 2],
    ['a stock-out\'s first reorder with only a few waiting: the batch', picture({ backlog: 2 }), 20],
    ['the wake after a reorder completed, a few still waiting: exactly what they and the threshold miss', picture({ backlog: 3, waking: true }), 8],
    ['the wake after a reorder delivered short, nobody waiting: a batch, not a sliver', picture({ available: 3, waking: true }), 20],
    ['reorders out and nobody waiting: nothing', picture({ available: 3, outstanding: 2, inFlight: 1 }), 0],
    ['in the pause, 40 waiting, the 20 codes just received maybe not in the count yet: only what they cannot cover', picture({ backlog: 40, available: 20, paused: { settling: 20 } }), 5],
    ['in the pause, nobody waiting, below the threshold: nothing until the wake', picture({ available: 2, paused: { settling: 0 } }), 0],
    ['in the pause, a few waiting: exactly those, not a batch', picture({ backlog: 3, paused: { settling: 0 } }), 8],
    ['a follow-up after a reorder fell short: a batch again, not a sliver', picture({ backlog: 28, outstanding: 20, inFlight: 1, shortLately: true }), 20],
    ['the wake after a reorder fell short: a batch', picture({ backlog: 3, waking: true, shortLately: true }), 20],
    ['a big follow-up: exactly what is missing', picture({ backlog: 100, outstanding: 20, inFlight: 1 }), 85],
    ['a follow-up is not started for the threshold alone', picture({ backlog: 0, available: 0, outstanding: 20, inFlight: 1 }), 0],
    ['codes received count as stock, not as owed', picture({ backlog: 10, available: 9, outstanding: 6, inFlight: 1 }), 0],
    ['buy per order (threshold 0): exactly what waits', picture({ threshold: 0, backlog: 3 }), 3],
    ['buy per order, nobody waiting', picture({ threshold: 0 }), 0],
  ])('%s', (_name, p, quantity) => {
    expect(sizeReorder(p)).toEqual({ quantity });
  });

  it('the cap counts what is already on order', () => {
    expect(sizeReorder(picture({ backlog: 600, cap: 100 }))).toEqual({ quantity: 100, cappedFrom: 605 });
    expect(sizeReorder(picture({ backlog: 600, cap: 100, outstanding: 100, inFlight: 1 }))).toEqual({ quantity: 0, cappedFrom: 505 });
  });

  it('never orders beyond the cap, never a negative quantity, and covers every waiting unit when the cap allows', () => {
    fc.assert(
      fc.property(
        fc.record({
          threshold: fc.integer({ min: 0, max: 50 }),
          reorderQuantity: fc.integer({ min: 1, max: 100 }),
          cap: fc.integer({ min: 1, max: 1000 }),
          available: fc.integer({ min: 0, max: 200 }),
          backlog: fc.integer({ min: 0, max: 1000 }),
          outstanding: fc.integer({ min: 0, max: 300 }),
          inFlight: fc.integer({ min: 0, max: 3 }),
        }),
        (p) => {
          const { quantity } = sizeReorder(p);
          expect(quantity).toBeGreaterThanOrEqual(0);
          expect(quantity + p.outstanding).toBeLessThanOrEqual(Math.max(p.cap, p.outstanding));
          if (p.outstanding + p.backlog + p.threshold <= p.cap) expect(p.available + p.outstanding + quantity).toBeGreaterThanOrEqual(p.backlog);
        },
      ),
    );
  });
});
