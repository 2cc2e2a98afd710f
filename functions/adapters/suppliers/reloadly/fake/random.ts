// Local fake of Reloadly: a seedable random source, so failure injection and issued cards are
// reproducible in tests.

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function digits(random: Random, count: number): string {
  let out = String(1 + Math.floor(random() * 9));
  while (out.length < count) out += String(Math.floor(random() * 10));
  return out;
}

/** A 16-digit card number and a 4-digit PIN, shaped like the docs' example (`6120200345149064` / `5821`). */
export function randomCard(random: Random): { cardNumber: string; pinCode: string } {
  return { cardNumber: digits(random, 16), pinCode: digits(random, 4) };
}
