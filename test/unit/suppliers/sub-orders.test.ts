// placeSubOrders: the order in which a reorder's sub-orders are looked up and placed.
import { placeSubOrders } from '#adapters/suppliers/sub-orders';

type State = { part: number; refused: boolean };

/** Steps over parts 1..n that record what happened, and how many calls were in flight at most. */
function steps(options: { firstAttempt?: boolean; existing?: number[]; refuse?: number[]; throwOn?: number } = {}) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const call = async <T>(what: string, fn: () => T): Promise<T> => {
    log.push(what);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    return fn();
  };
  return {
    log,
    maxInFlight: () => maxInFlight,
    steps: {
      firstAttempt: options.firstAttempt ?? false,
      lookup: (part: number) => call(`lookup ${part}`, () => (options.existing?.includes(part) ? { part, refused: false } : undefined)),
      place: (part: number) =>
        call(`place ${part}`, () => {
          if (part === options.throwOn) throw new Error(`place ${part} timed out`);
          return { part, refused: options.refuse?.includes(part) ?? false };
        }),
      refused: (state: State) => state.refused,
    },
  };
}

const parts = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

it('places the first sub-order alone, then the rest a wave at a time, in order', async () => {
  const s = steps({ firstAttempt: true });
  const placed = await placeSubOrders(parts(8), s.steps, 3);
  expect(placed.map((p) => p.state?.part)).toEqual(parts(8));
  expect(s.log).toEqual(['place 1', 'place 2', 'place 3', 'place 4', 'place 5', 'place 6', 'place 7', 'place 8']);
  expect(s.maxInFlight()).toBe(3);
});

it('looks nothing up on a first attempt, and every sub-order up on a later one (placing only the missing)', async () => {
  const s = steps({ existing: [1, 2, 4] });
  const placed = await placeSubOrders(parts(4), s.steps, 5);
  expect(s.log.filter((l) => l.startsWith('place'))).toEqual(['place 3']);
  expect(s.log.filter((l) => l.startsWith('lookup'))).toEqual(['lookup 1', 'lookup 2', 'lookup 3', 'lookup 4']);
  expect(placed.every((p) => p.state)).toBe(true);
});

it('after a refused first sub-order places nothing more, and a first attempt leaves the rest unplaced', async () => {
  const s = steps({ firstAttempt: true, refuse: [1] });
  const placed = await placeSubOrders(parts(4), s.steps, 5);
  expect(s.log).toEqual(['place 1']);
  expect(placed.map((p) => p.state)).toEqual([{ part: 1, refused: true }, undefined, undefined, undefined]);
});

it('after a wave with a refused sub-order only looks the rest up', async () => {
  const s = steps({ refuse: [2], existing: [] });
  await placeSubOrders(parts(6), s.steps, 2);
  // 1 alone; 2 and 3 side by side (3 was in flight when 2 was refused); then 4..6 looked up only.
  expect(s.log.filter((l) => l.startsWith('place'))).toEqual(['place 1', 'place 2', 'place 3']);
  expect(s.log.filter((l) => l.startsWith('lookup'))).toEqual(parts(6).map((p) => `lookup ${p}`));
});

it('lets the whole wave finish before throwing a call failure, and places nothing after it', async () => {
  const s = steps({ firstAttempt: true, throwOn: 2 });
  await expect(placeSubOrders(parts(6), s.steps, 3)).rejects.toThrow('place 2 timed out');
  expect(s.log).toEqual(['place 1', 'place 2', 'place 3', 'place 4']);
});
