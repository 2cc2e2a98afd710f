// Platform adapters (Salla, Zid): authenticate and interpret store webhooks for the webhook function.
import type { Locale, Platform } from '#core/model';
import type { PlatformAdapter } from '#core/ports';
import type { Config } from '#wiring/config';
import { SallaAdapter } from './salla/salla-adapter';
import { ZidAdapter } from './zid/zid-adapter';

export interface PlatformAdaptersOptions {
  /** Locale of customer messages when the order names none. */
  defaultLocale: Locale;
  salla: {
    /** Status slugs that mean paid (SALLA_PAID_STATUSES). */
    paidStatuses: string[];
    /** Payment methods never paid at creation (SALLA_UNPAID_PAYMENT_METHODS). */
    unpaidPaymentMethods: string[];
  };
  zid?: {
    /** Country code for mobiles sent without one. Default 966. */
    defaultCountryCode?: string;
  };
}

/** Options from the parsed function configuration. */
export function platformAdaptersOptionsFromConfig(
  config: Pick<Config, 'DEFAULT_LOCALE' | 'SALLA_PAID_STATUSES' | 'SALLA_UNPAID_PAYMENT_METHODS'>,
): PlatformAdaptersOptions {
  return {
    defaultLocale: config.DEFAULT_LOCALE,
    salla: { paidStatuses: config.SALLA_PAID_STATUSES, unpaidPaymentMethods: config.SALLA_UNPAID_PAYMENT_METHODS },
  };
}

/** One adapter per platform, keyed by the `{platform}` of the webhook route. */
export function createPlatformAdapters(options: PlatformAdaptersOptions): Record<Platform, PlatformAdapter> {
  return {
    salla: new SallaAdapter({ ...options.salla, defaultLocale: options.defaultLocale }),
    zid: new ZidAdapter({
      defaultLocale: options.defaultLocale,
      ...(options.zid?.defaultCountryCode ? { defaultCountryCode: options.zid.defaultCountryCode } : {}),
    }),
  };
}

/** Narrows a route parameter to a platform we serve. */
export function isPlatform(value: unknown): value is Platform {
  return value === 'salla' || value === 'zid';
}

export { SallaAdapter, type SallaAdapterOptions } from './salla/salla-adapter';
export { ZidAdapter, type ZidAdapterOptions } from './zid/zid-adapter';
export { toE164 } from './shared/phone';
