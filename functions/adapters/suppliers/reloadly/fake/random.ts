// Local fake of Reloadly: a seedable random source, so failure injection and issued cards are
// reproducible in tests.
import { randomDigits, seededRandom, type Random } from '#local/fake-random';

/** A 16-digit card number and a 4-digit PIN, shaped like the docs' example (`6120200345149064` / `5821`). */
export function randomCard(random: Random): { cardNumber: string; pinCode: string } {
  return { cardNumber: randomDigits(random, 16), pinCode: randomDigits(random, 4) };
}

export { seededRandom, type Random };
