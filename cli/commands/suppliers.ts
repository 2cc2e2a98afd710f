// `suppliers`: each supplier module with its balance and health, and the SKUs that buy from it.
import type { Command } from 'commander';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { supplierOffers } from '#core/model';
import type { SupplierHealth } from '#core/ports/supplier-health';
import type { GlobalOptions, Session } from '../session';
import { mapLimited } from '#core/map-limited';
import { allSkus, pausedSuppliers } from '../skus';

interface SuppliersOptions extends GlobalOptions {
  check?: boolean;
}

export interface SupplierRow {
  supplier: string;
  title: string;
  /** Credentials found (its secret exists and parses). */
  configured: boolean;
  balance?: { amount: number; currency: string };
  balanceAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** SKUs that list it: first choice, or to fail over to. */
  skus: { first: number; alternate: number; pausedFor: number };
}

export function registerSuppliers(program: Command, session: Session): void {
  program
    .command('suppliers')
    .description('Show each supplier: credentials, balance and last error as the restock functions last saw them, SKUs that buy from it')
    .option('--check', 'read every configured supplier\'s balance now (one API call each), instead of the last one seen')
    .addHelpText(
      'after',
      `
BALANCE is what the restock functions last read (they check it before buying, at most every 30 s);
--check reads it now. SKUS counts the SKUs buying from the supplier first / as a fallback, and PAUSED
those that buy elsewhere for now after it failed for good or never delivered.

Example:
  $ npx tsx cli/streamsync.ts --local suppliers --check
`,
    )
    .action(async (_options: unknown, command: Command) => {
      await showSuppliers(session, command.optsWithGlobals<SuppliersOptions>());
    });
}

async function showSuppliers(session: Session, options: SuppliersOptions): Promise<void> {
  const deps = await (await session.connect(options)).deps();
  const now = new Date().toISOString();
  const [health, skus] = await Promise.all([deps.supplierHealth.list(), allSkus(deps)]);
  const seen = new Map<string, SupplierHealth>(health.map((h) => [h.supplier, h]));
  const usage = await mapLimited(skus, 8, async (sku) => {
    const [config, status] = await Promise.all([deps.catalog.getSkuConfig(sku), deps.reorders.getReorderStatus(sku)]);
    return { offers: config ? supplierOffers(config).map((o) => o.supplier) : [], paused: Object.keys(pausedSuppliers(status, now)) };
  });
  const rows = await mapLimited([...SUPPLIERS], 4, async (module): Promise<SupplierRow> => {
    const supplier = await deps.supplier(module.name).catch(() => undefined);
    let last = seen.get(module.name) ?? { supplier: module.name };
    if (options.check && supplier) {
      try {
        last = { ...last, balance: await supplier.balance(), balanceAt: new Date().toISOString() };
        await deps.supplierHealth.recordBalance(module.name, last.balance!, last.balanceAt!);
      } catch (err) {
        last = { ...last, lastError: `balance: ${(err as Error).message}`, lastErrorAt: new Date().toISOString() };
      }
    }
    return {
      supplier: module.name,
      title: module.title,
      configured: Boolean(supplier),
      ...(last.balance && { balance: last.balance, balanceAt: last.balanceAt }),
      ...(last.lastError && { lastError: last.lastError, lastErrorAt: last.lastErrorAt }),
      skus: {
        first: usage.filter((u) => u.offers[0] === module.name).length,
        alternate: usage.filter((u) => u.offers.indexOf(module.name) > 0).length,
        pausedFor: usage.filter((u) => u.paused.includes(module.name)).length,
      },
    };
  });
  session.list(rows, options, 'No supplier modules are registered.', [
    { header: 'SUPPLIER', value: (r) => r.supplier },
    { header: 'CREDENTIALS', value: (r) => (r.configured ? 'yes' : 'missing') },
    { header: 'BALANCE', value: (r) => (r.balance ? `${r.balance.amount.toFixed(2)} ${r.balance.currency}` : undefined), align: 'right' },
    { header: 'AS OF', value: (r) => r.balanceAt },
    { header: 'SKUS (FIRST/FALLBACK)', value: (r) => `${r.skus.first}/${r.skus.alternate}`, align: 'right' },
    { header: 'PAUSED', value: (r) => r.skus.pausedFor || undefined, align: 'right' },
    { header: 'LAST ERROR', value: (r) => (r.lastError ? `${r.lastErrorAt} ${r.lastError}` : undefined) },
  ]);
}
