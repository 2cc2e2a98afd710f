// `stock [sku]`: what an operator checks first: available codes, threshold, reorders in flight, paused suppliers, backorders.
import type { Command } from 'commander';
import { identifier } from '../options';
import { formatBounded } from '../output';
import type { GlobalOptions, Session } from '../session';
import { mapLimited } from '#core/map-limited';
import { BACKORDER_COUNT_CAP, allSkus, availableOf, pausedSuppliers, requireSkuConfig } from '../skus';
import { countBackorders } from '../table-reads';

export interface StockRow {
  sku: string;
  available: number;
  /** True when the count stopped at its cap: there are at least `available` codes. */
  availableCapped: boolean;
  threshold: number;
  /** OUT: nothing available; LOW: below threshold (a reorder is due); OK otherwise. */
  level: 'OK' | 'LOW' | 'OUT';
  /** Reorders in flight (a SKU may have a follow-up beside the first). */
  reorders: StockReorder[];
  /** Reordering is paused until then (the short pause after a reorder). */
  reorderBlockedUntil?: string;
  /** Suppliers this SKU does not buy from until then (after a fatal error or a give-up). */
  suppliersPaused?: Record<string, string>;
  backorders: number;
}

/** The reorder in flight, as shown: the lease's bookkeeping (poll ids) stays out. */
export interface StockReorder {
  reorderId: string;
  state: string;
  quantity: number;
  codesReceived: number;
  supplier?: string;
  leaseUntil: string;
  createdAt?: string;
}

export function registerStock(program: Command, session: Session): void {
  program
    .command('stock')
    .description('Show stock per SKU: available codes (counted up to 10,000), threshold, reorders in flight, paused suppliers, backorders')
    .argument('[sku]', 'only this SKU', identifier)
    .addHelpText(
      'after',
      `
LEVEL is OUT (nothing available), LOW (below the threshold: a reorder is due) or OK.
REORDER shows the reorders in flight: state (PLACING, PENDING), codes received/ordered, supplier.
PAUSED SUPPLIERS are not bought from for this SKU until then (a fatal error or a give-up); the next
supplier the SKU lists is used meanwhile.

Example:
  $ npx tsx cli/streamsync.ts --local stock ITUNES-SA-50
`,
    )
    .action(async (sku: string | undefined, _options: unknown, command: Command) => {
      await showStock(session, sku, command.optsWithGlobals<GlobalOptions>());
    });
}

async function showStock(session: Session, sku: string | undefined, options: GlobalOptions): Promise<void> {
  const connection = await session.connect(options);
  const deps = await connection.deps();
  if (sku) await requireSkuConfig(deps, sku, options);
  const skus = sku ? [sku] : await allSkus(deps);
  const rows = await mapLimited(skus, 8, async (id): Promise<StockRow> => {
    const [config, stock, status, backorders] = await Promise.all([
      deps.catalog.getSkuConfig(id),
      availableOf(deps, id),
      deps.reorders.getReorderStatus(id),
      countBackorders(connection.db, connection.config.TABLE_NAME, id, BACKORDER_COUNT_CAP),
    ]);
    const threshold = config?.threshold ?? 0;
    const now = new Date().toISOString();
    const paused = pausedSuppliers(status, now);
    return {
      sku: id,
      ...stock,
      threshold,
      level: stock.available === 0 ? 'OUT' : stock.available < threshold ? 'LOW' : 'OK',
      reorders: status.active.map((a) => ({
        reorderId: a.reorderId,
        state: a.state,
        quantity: a.quantity,
        codesReceived: a.codesReceived ?? 0,
        ...(a.supplier && { supplier: a.supplier }),
        leaseUntil: a.leaseUntil,
        ...(a.createdAt && { createdAt: a.createdAt }),
      })),
      ...(status.blockedUntil && status.blockedUntil > now && { reorderBlockedUntil: status.blockedUntil }),
      ...(Object.keys(paused).length > 0 && { suppliersPaused: paused }),
      backorders,
    };
  });
  session.list(rows, options, 'No SKUs yet. Create one with `sku set <sku> --threshold <n> --reorder <n>`.', [
    { header: 'SKU', value: (r) => r.sku },
    { header: 'AVAILABLE', value: (r) => formatBounded(r.available, r.availableCapped), align: 'right' },
    { header: 'THRESHOLD', value: (r) => r.threshold, align: 'right' },
    { header: 'LEVEL', value: (r) => r.level },
    {
      header: 'REORDER',
      value: (r) =>
        r.reorders.length > 0
          ? r.reorders.map((o) => `${o.state} ${o.codesReceived}/${o.quantity}${o.supplier ? ` ${o.supplier}` : ''}`).join(', ')
          : r.reorderBlockedUntil
            ? `paused until ${r.reorderBlockedUntil}`
            : undefined,
    },
    {
      header: 'PAUSED SUPPLIERS',
      value: (r) => (r.suppliersPaused ? Object.entries(r.suppliersPaused).map(([name, until]) => `${name} until ${until}`).join(', ') : undefined),
    },
    { header: 'BACKORDERS', value: (r) => formatBounded(r.backorders, r.backorders >= BACKORDER_COUNT_CAP), align: 'right' },
  ]);
}
