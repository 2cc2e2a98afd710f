// Local fake of EZ PIN: a seedable random source. Failure injection is seeded (a test sees the same
// sequence each run); issued cards come from their own source, seeded at random unless a test pins it,
// so two fakes in two tests never hand out the same card numbers.
import { randomDigits, seededRandom, type Random } from '#local/fake-random';
import { randomInt } from 'node:crypto';

/** A seed no other fake in this process is likely to have picked. */
export const freshSeed = () => randomInt(1, 2 ** 32 - 1);

/** A 16-digit card number and a 12-digit PIN (the OpenAPI example has 12 and 13 digits: lengths vary by brand). */
export function randomCard(random: Random): { cardNumber: string; pinCode: string } {
  return { cardNumber: randomDigits(random, 16), pinCode: randomDigits(random, 12) };
}

/** A v4-shaped UUID from the random source, for claim links. */
export function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export { seededRandom, type Random };
