// Customer phone numbers from Salla and Zid, normalised to E.164 (+9665XXXXXXXX).

const E164 = /^\+[1-9]\d{7,14}$/;
/** Saudi Arabia: both platforms are Saudi first, and their numbers often come without a country code. */
export const DEFAULT_COUNTRY_CODE = '966';

/** Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits to ASCII: customers type either. */
function asciiDigits(value: string): string {
  return value.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

function countryDigits(code: string | number | null | undefined, fallback: string): string {
  const digits = asciiDigits(String(code ?? '')).replace(/\D/g, '').replace(/^0+/, '');
  return digits.length > 0 && digits.length <= 3 ? digits : fallback;
}

/**
 * E.164 number from a mobile number that may or may not carry its country code:
 * `501806978` + `+966`, `0501806978`, `966501806978`, `+966 50 180 6978`, `00966501806978`
 * all give `+966501806978`. Returns undefined when the result is not a plausible E.164 number
 * (the order is still delivered by e-mail; a wrong number must not receive someone's code).
 */
export function toE164(
  mobile: string | number | null | undefined,
  countryCode: string | number | null | undefined = DEFAULT_COUNTRY_CODE,
  fallbackCountryCode: string = DEFAULT_COUNTRY_CODE,
): string | undefined {
  if (mobile === null || mobile === undefined) return undefined;
  if (typeof mobile === 'number' && (!Number.isSafeInteger(mobile) || mobile <= 0)) return undefined;
  const raw = asciiDigits(String(mobile)).trim();
  if (raw === '') return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits === '') return undefined;

  let candidate: string;
  if (raw.startsWith('+')) {
    candidate = `+${digits}`;
  } else if (digits.startsWith('00')) {
    candidate = `+${digits.slice(2)}`;
  } else {
    const cc = countryDigits(countryCode, fallbackCountryCode);
    const local = digits.replace(/^0+/, '');
    // Already international without the "+": country code followed by a full national number.
    candidate = local.startsWith(cc) && local.length >= cc.length + 8 ? `+${local}` : `+${cc}${local}`;
  }
  return E164.test(candidate) ? candidate : undefined;
}
