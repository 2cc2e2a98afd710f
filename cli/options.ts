// Argument parsers for commander options: a bad value is a usage error naming the option, before any I/O.
import { InvalidArgumentError, type Command } from 'commander';
import { toE164 } from '#adapters/platforms/shared/phone';
import { isEmailAddress } from '#core/contact';
import type { SupplierOffer } from '#core/model';

/** A whole number ≥ min (digits only: "5.0", "1e3" and "" are refused rather than guessed). */
export const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number.');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `must be ${min} or more.` : `must be between ${min} and ${max}.`);
    return n;
  };

/** A positive decimal number (a price). */
export const positiveNumber = (value: string): number => {
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || Number(value) <= 0) throw new InvalidArgumentError('must be a positive number, e.g. 50 or 9.99.');
  return Number(value);
};

/**
 * An id that goes into a table key: SKUs, store, product and order ids. `#` separates key parts, so it
 * is refused, as are whitespace and control characters.
 */
export const identifier = (value: string): string => {
  const id = value.trim();
  if (id === '' || id.length > 128) throw new InvalidArgumentError('must be 1 to 128 characters.');
  if (/[#\s\u0000-\u001f\u007f]/.test(id)) throw new InvalidArgumentError('must not contain "#", spaces or control characters.');
  return id;
};

/** Free text such as a display name or an import source label. */
export const label = (value: string): string => {
  const text = value.trim();
  if (text === '' || text.length > 200) throw new InvalidArgumentError('must be 1 to 200 characters.');
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new InvalidArgumentError('must not contain control characters.');
  return text;
};

/** A mobile number as customers type it (05…, 9665…, +966 5…), stored as E.164. */
export const mobileNumber = (value: string): string => {
  const phone = toE164(value);
  if (!phone) throw new InvalidArgumentError('must be a mobile number, e.g. +966501234567 or 0501234567.');
  return phone;
};

export const emailAddress = (value: string): string => {
  const email = value.trim();
  if (!isEmailAddress(email)) throw new InvalidArgumentError('must be an e-mail address, e.g. sara@example.com.');
  return email;
};

/**
 * `ezpin:4411:5.10`, one fallback supplier offer (supplier, its product id, unit price); repeatable, in
 * priority order. `known` are the supplier modules that exist.
 */
export const supplierOfferList =
  (known: readonly string[]) =>
  (value: string, previous: SupplierOffer[] = []): SupplierOffer[] => {
    const [supplier, productId, price, ...rest] = value.trim().split(':');
    if (!supplier || !productId || !price || rest.length > 0) throw new InvalidArgumentError('must be <supplier>:<product>:<price>, e.g. ezpin:4411:5.10.');
    if (!known.includes(supplier)) throw new InvalidArgumentError(`supplier must be one of ${known.join(', ')}.`);
    const unitPrice = positiveNumber(price);
    if (previous.some((offer) => offer.supplier === supplier)) throw new InvalidArgumentError(`lists ${supplier} twice.`);
    return [...previous, { supplier, productId: identifier(productId), unitPrice }];
  };

const STORE_HELP = 'store id: the Salla merchant id or the Zid store id';

/** `--store <id>`, the same on every command that names a store. */
export const storeOption = (command: Command): Command => command.requiredOption('--store <id>', STORE_HELP, identifier);

/** `--store <id> --order <id>`: the key of one order. */
export const orderKeyOptions = (command: Command): Command => storeOption(command).requiredOption('--order <id>', "the platform's order id", identifier);
