// Hostile values for single fields: text, quantities, ids, event names, phone numbers.
import fc from 'fast-check';
import { RawJson } from './json-bytes';

/**
 * Planted in every body. It has spaces, so it is never a "safe token" (the event names and status
 * slugs the adapters may quote back): if it ever appears in a response, the body was echoed.
 */
export const MARKER = 'planted marker 7f3a';

/** Characters that break naive handling: controls, NUL, bidi overrides, lone surrogates, BOM, emoji, combining marks. */
const ODD_CHARACTERS = [
  '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u200b', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e',
  '\u2066', '\u2069', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff',
  '\udbff\udfff', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', 'e\u0301\u0301\u0301', 'العربية', '١٢٣', '۴۵۶', 'Ａ', '𝔘𝔫𝔦', 'ﷺ',
  '"', '\\', "'", '</script>', '%00', '${x}', '{{x}}', '\r\n', '\t',
];

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 });

/** Short text made of odd characters and arbitrary code points. */
export const oddText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...ODD_CHARACTERS), fc.string({ unit: 'binary', maxLength: 6 }), loneSurrogates), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** Odd text carrying the marker. */
export const markedText: fc.Arbitrary<string> = fc.tuple(oddText, oddText).map(([a, b]) => `${a}${MARKER}${b}`);

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Quantities the issue calls huge: whole, safe, at least a million. */
export const hugeQuantity: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(1e6, 1e9, 1e12, MAX_SAFE), fc.integer({ min: 1e6, max: MAX_SAFE }));

/** Anything a `quantity` field may hold, sane or not. */
export const oddQuantity: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 5 }),
  hugeQuantity,
  hugeQuantity.map(String),
  fc.constantFrom(MAX_SAFE + 1, 2 ** 63, 1e21, 1e308, Number.MIN_VALUE),
  fc.integer({ min: -1e6, max: 0 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((d) => !Number.isInteger(d)),
  fc.constantFrom('1', ' 2 ', '007', '1e3', '1.0', '-1', '0', '0x10', '١', '2\u00a0', '\ufeff3', '', '1,000', '+1', 'Infinity', 'NaN', '9007199254740993'),
  markedText,
  fc.constantFrom(null, true, false, [], {}, [1], { value: 1 }, undefined),
  fc.constantFrom('1.0', '1e0', '1E2', '-0', '0.1e1', '1e400', '-1e400', '100000000000000000000001', '2.5e-324').map(RawJson.text),
);

/** Ids of every type: the mapped ones in several spellings, and everything else. */
export function oddId(mapped: readonly string[]): fc.Arbitrary<unknown> {
  const numeric = mapped.filter((id) => /^\d+$/.test(id));
  const spellings: fc.Arbitrary<unknown>[] = [];
  if (mapped.length > 0) spellings.push(fc.constantFrom(...mapped), fc.constantFrom(...mapped).map((id) => ` ${id}\t`));
  if (numeric.length > 0) spellings.push(fc.constantFrom(...numeric).map(Number), fc.constantFrom(...numeric).map((id) => RawJson.text(`${id}.0`)));
  return fc.oneof(
    ...spellings,
    fc.nat(),
    fc.integer({ min: -1e9, max: -1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53, 2 ** 64, 1e308, 0),
    fc.string({ maxLength: 140 }),
    markedText,
    fc.constantFrom('', '   ', 'x'.repeat(129), '\u0000', '../../etc/passwd'),
    fc.constantFrom(null, true, {}, [], [720881993], { id: 720881993 }, undefined),
  );
}

/** Event names: the known ones, near misses, other platforms' events and non-strings. */
export function oddEvent(known: readonly string[]): fc.Arbitrary<unknown> {
  const knownEvent = fc.constantFrom(...known);
  return fc.oneof(
    knownEvent,
    knownEvent.map((e) => e.toUpperCase()),
    knownEvent.map((e) => ` ${e}\n`),
    knownEvent.map((e) => `${e}\u0000`),
    knownEvent.map((e) => e.replace('.', '_')),
    fc.constantFrom('app.installed', 'app.store.authorize', 'product.updated', 'customer.created', 'order.shipment.created', 'order.deleted', 'order.create', 'order.created', ''),
    fc.stringMatching(/^[a-z]{1,10}\.[a-z_]{1,12}$/),
    markedText,
    fc.constantFrom(null, 1, true, {}, ['order.created'], undefined),
  );
}

/** Phone parts as customers type them, and worse. */
export const oddPhone: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(551234567, '0551234567', '+966 55 123 4567', '00966551234567', '٠٥٥١٢٣٤٥٦٧', '+966', '966'),
  fc.constantFrom(-551234567, 1e21, 0.5, 2 ** 64, '', 'abc', '+', '0'.repeat(40)),
  markedText,
  fc.constantFrom(null, true, {}, [], undefined),
);

/** Any value at all, for fields whose type the adapters must not trust. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(markedText, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, false, 0, -1, '', undefined));
