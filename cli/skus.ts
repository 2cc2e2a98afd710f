// SKU look-ups shared by the commands: "does this SKU exist" with the hint that fixes it, and bounded counts.
import type { CliDeps } from './connection';
import type { SkuConfig } from '#core/model';
import type { ReorderStatus } from '#core/ports/reorders';
import { CliError } from './errors';
import type { GlobalOptions } from './session';

/** Available counts stop here: a bounded query, so `stock` stays cheap on a SKU with huge stock. */
export const AVAILABLE_COUNT_CAP = 10_000;
export const BACKORDER_COUNT_CAP = 10_000;

/** How the operator invoked us, for hints they can paste: `npx tsx cli/streamsync.ts --local …`. */
export const cliPrefix = (options: GlobalOptions) => `npx tsx cli/streamsync.ts${options.local ? ' --local' : ''}`;

export async function requireSkuConfig(deps: CliDeps, sku: string, options: GlobalOptions): Promise<SkuConfig> {
  const config = await deps.catalog.getSkuConfig(sku);
  if (!config) {
    throw new CliError(
      `Unknown SKU "${sku}": it has no configuration. Create it first: ${cliPrefix(options)} sku set ${sku} --threshold <n> --reorder <n>`,
    );
  }
  return config;
}

/** Every configured SKU, sorted. */
export async function allSkus(deps: CliDeps): Promise<string[]> {
  return [...new Set(await deps.catalog.listSkus())].sort();
}

/** Bounded available count and whether it hit the cap. */
export async function availableOf(deps: CliDeps, sku: string): Promise<{ available: number; availableCapped: boolean }> {
  const available = await deps.stock.countAvailable(sku, AVAILABLE_COUNT_CAP);
  return { available, availableCapped: available >= AVAILABLE_COUNT_CAP };
}

/** The suppliers a SKU does not buy from at `now`, with until when (after a fatal error or a give-up). */
export const pausedSuppliers = (status: ReorderStatus, now: string): Record<string, string> =>
  Object.fromEntries(Object.entries(status.supplierBlockedUntil).filter(([, until]) => until > now));
