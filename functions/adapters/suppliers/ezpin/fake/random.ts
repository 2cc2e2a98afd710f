// Local fake of EZ PIN: a seedable random source. Failure injection is seeded (a test sees the same
// sequence each run); issued cards come from their own source, seeded at random unless a test pins it,
// so two fakes in two tests never hand out the same card numbers.
import { randomInt } from 'node:crypto';

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

/** A seed no other fake in this process is likely to have picked. */
export const freshSeed = () => randomInt(1, 2 ** 32 - 1);

function digits(random: Random, count: number): string {
  let out = String(1 + Math.floor(random() * 9));
  while (out.length < count) out += String(Math.floor(random() * 10));
  return out;
}

/** A 16-digit card number and a 12-digit PIN (the OpenAPI example has 12 and 13 digits: lengths vary by brand). */
export function randomCard(random: Random): { cardNumber: string; pinCode: string } {
  return { cardNumber: digits(random, 16), pinCode: digits(random, 12) };
}

/** A v4-shaped UUID from the random source, for claim links. */
export function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
