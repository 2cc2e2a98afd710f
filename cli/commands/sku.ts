// `sku set` / `sku list`: per-SKU inventory settings (threshold, reorder quantity, supplier).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { supplierOffers, type SkuConfig, type SupplierOffer, type VelocityLimit } from '#core/model';
import { VELOCITY_CEILING } from '#core/velocity-gate';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { CliError, EXIT } from '../errors';
import { identifier, label, positiveNumber, supplierOfferList, wholeNumber } from '../options';
import { formatBounded } from '../output';
import type { GlobalOptions, Session } from '../session';
import { mapLimited } from '#core/map-limited';
import { allSkus, availableOf } from '../skus';

interface SetOptions extends GlobalOptions {
  threshold: number;
  reorder: number;
  supplier?: string;
  product?: string;
  price?: number;
  name?: string;
  manual?: boolean;
  alternate?: SupplierOffer[];
  /** false: --no-alternates. */
  alternates?: boolean;
  maxOnOrder?: number;
  value?: number;
  verifyPayment?: 'always' | 'never' | 'auto';
  velocity?: VelocityLimit | 'off' | 'default';
}

/** `5/24` (codes per hours), `off` (exempt) or `default` (the deployment's VELOCITY_MAX_CODES). */
export function velocityOption(value: string): VelocityLimit | 'off' | 'default' {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'default') return text;
  const match = /^(\d+)\/(\d+)h?$/.exec(text);
  const [maxCodes, windowHours] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(maxCodes >= 1 && maxCodes <= VELOCITY_CEILING.maxCodes && windowHours >= 1 && windowHours <= VELOCITY_CEILING.windowHours)) {
    throw new InvalidArgumentError(`must be <codes>/<hours> (1–${VELOCITY_CEILING.maxCodes} codes, 1–${VELOCITY_CEILING.windowHours} hours, e.g. 5/24), off or default.`);
  }
  return { maxCodes, windowHours };
}

const describeVelocity = (limit: VelocityLimit | undefined) =>
  limit === undefined ? "the deployment's velocity limit (VELOCITY_MAX_CODES per customer)" : limit.maxCodes === 0 ? 'no velocity limit' : `at most ${limit.maxCodes} per customer per ${limit.windowHours} h`;

export function registerSku(program: Command, session: Session): void {
  const sku = program.command('sku').description('Create, change and list SKUs (inventory settings per SKU)');

  sku
    .command('set')
    .description('Create a SKU or change its settings. Options left out keep their current value.')
    .argument('<sku>', 'SKU id, e.g. ITUNES-SA-50 (no "#" or spaces)', identifier)
    .requiredOption('--threshold <n>', 'reorder when available stock falls below this many codes (0: keep no stock, buy per order)', wholeNumber(0))
    .requiredOption('--reorder <n>', 'the least a reorder buys (it buys what waits plus the threshold when that is more)', wholeNumber(1))
    .addOption(new Option('--supplier <name>', 'supplier that restocks this SKU automatically (needs --product and --price)').choices(SUPPLIERS.map((s) => s.name)))
    .option('--product <id>', "the supplier's product id", identifier)
    .option('--price <n>', 'unit price to order at, in the supplier product\'s currency (the card\'s face value)', positiveNumber)
    .option(
      '--alternate <supplier:product:price>',
      'a supplier to fail over to, after --supplier; repeat for more, in priority order (replaces the stored list)',
      supplierOfferList(SUPPLIERS.map((s) => s.name)),
    )
    .option('--no-alternates', 'forget the stored fallback suppliers')
    .option('--max-on-order <n>', 'most codes on order at once for this SKU (its reorder budget; default 500)', wholeNumber(1, 100_000))
    .option('--name <text>', 'display name, e.g. "iTunes 50 SAR"', label)
    .option('--value <n>', 'what one code sells for: a SKU at or above the payment-check threshold (VERIFY_PAYMENT_ABOVE, 500) is checked with the store, one without --value or --price always is', positiveNumber)
    .addOption(new Option('--verify-payment <when>', 'ask the store whether the order is paid: always, never, or auto (by --value and the threshold)').choices(['always', 'never', 'auto']))
    .option('--velocity <codes/hours>', 'codes one customer (phone or e-mail) may get per window, e.g. 5/24; off exempts the SKU, default uses VELOCITY_MAX_CODES (20 per 24 h)', velocityOption)
    .option('--manual', 'restock by hand only from now on: forget the stored supplier, product and price')
    .addHelpText(
      'after',
      `
Settings you leave out keep their stored values. A SKU without a supplier is restocked by hand
(\`import\`) only; --manual turns automatic restocking off again.

A reorder buys what waits plus the threshold (at least --reorder), and more as backorders arrive,
never more than --max-on-order at once. When the supplier fails for good (no balance, product gone,
price changed) or never delivers, reorders go to the next --alternate until it recovers.

An order that would take one customer over the SKU's --velocity is held, no code taken, and the
merchant alerted: \`orders release\` delivers it, \`orders cancel\` cancels it for a refund.

Examples:
  $ npx tsx cli/streamsync.ts --local sku set GOOGLE-PLAY-25 --threshold 10 --reorder 50 --name "Google Play 25 USD"
  $ npx tsx cli/streamsync.ts --local sku set ITUNES-SA-50 --threshold 5 --reorder 20 --supplier reloadly --product 3001 --price 50
  $ npx tsx cli/streamsync.ts --local sku set ITUNES-SA-50 --threshold 5 --reorder 20 --alternate ezpin:4411:50.5 --max-on-order 300
  $ npx tsx cli/streamsync.ts --local sku set PSN-SA-100 --threshold 5 --reorder 20 --velocity 3/24
`,
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      await setSku(session, id, command.optsWithGlobals<SetOptions>());
    });

  sku
    .command('list')
    .description('List every SKU with its settings and available stock (counted up to 10,000)')
    .addHelpText('after', '\nExample:\n  $ npx tsx cli/streamsync.ts --local sku list\n')
    .action(async (_options: unknown, command: Command) => {
      await listSkus(session, command.optsWithGlobals<GlobalOptions>());
    });
}

async function setSku(session: Session, sku: string, options: SetOptions): Promise<void> {
  const connection = await session.connect(options);
  const deps = await connection.deps();
  const existing = await deps.catalog.getSkuConfig(sku);
  if (options.manual && (options.supplier || options.alternate)) throw new CliError('--manual and --supplier/--alternate contradict each other: pick one', EXIT.USAGE);
  if (options.alternate && options.alternates === false) throw new CliError('--alternate and --no-alternates contradict each other: pick one', EXIT.USAGE);
  // Settings not given keep their stored value; --manual is the way to drop the supplier.
  // The payment check's settings are about the SKU, not its supplier: --manual keeps them.
  const check: Partial<SkuConfig> = {
    value: existing?.value,
    verifyPayment: options.verifyPayment === 'auto' ? undefined : existing?.verifyPayment,
    velocity: options.velocity === 'default' ? undefined : existing?.velocity,
  };
  const kept: Partial<SkuConfig> = options.manual
    ? { name: existing?.name, ...check }
    : {
        ...check,
        name: existing?.name,
        supplier: existing?.supplier,
        supplierProductId: existing?.supplierProductId,
        unitPrice: existing?.unitPrice,
        alternates: options.alternates === false ? undefined : existing?.alternates,
        maxReorderQuantity: existing?.maxReorderQuantity,
      };
  const supplier = options.supplier ?? kept.supplier;
  if (options.supplier && (!(options.product ?? existing?.supplierProductId) || !(options.price ?? existing?.unitPrice))) {
    throw new CliError(`--supplier ${options.supplier} needs --product <id> and --price <n> (what to order, at which price)`, EXIT.USAGE);
  }
  if (!supplier && (options.product !== undefined || options.price !== undefined || options.alternate)) {
    throw new CliError('--product, --price and --alternate only apply to a SKU with a supplier: add --supplier <name>', EXIT.USAGE);
  }
  if (options.alternate?.some((offer) => offer.supplier === supplier)) {
    throw new CliError(`--alternate ${supplier} is already the first supplier: an alternate is another one`, EXIT.USAGE);
  }
  const config: SkuConfig = {
    ...kept,
    sku,
    threshold: options.threshold,
    reorderQuantity: options.reorder,
    ...(options.name !== undefined && { name: options.name }),
    ...(options.supplier !== undefined && { supplier: options.supplier }),
    ...(options.product !== undefined && { supplierProductId: options.product }),
    ...(options.price !== undefined && { unitPrice: options.price }),
    ...(options.value !== undefined && { value: options.value }),
    ...(options.verifyPayment === 'always' || options.verifyPayment === 'never' ? { verifyPayment: options.verifyPayment } : {}),
    ...(options.alternate !== undefined && { alternates: options.alternate }),
    ...(options.maxOnOrder !== undefined && { maxReorderQuantity: options.maxOnOrder }),
    ...(options.velocity === 'off' && { velocity: { maxCodes: 0, windowHours: 24 } }),
    ...(typeof options.velocity === 'object' && { velocity: options.velocity }),
  };
  await deps.catalog.putSkuConfig(config);
  const stored = (await deps.catalog.getSkuConfig(sku))!;
  if (options.json) {
    session.json({ created: !existing, ...stored });
    return;
  }
  const offers = supplierOffers(stored);
  const restock = stored.supplier
    ? `restocked by ${offers.map((o) => `${o.supplier} (product ${o.productId}, unit price ${o.unitPrice})`).join(', failing over to ')}` +
      `, at most ${stored.maxReorderQuantity ?? 'the default of 500'} on order at once`
    : 'restocked by hand (no supplier)';
  const checked = stored.verifyPayment ? `payment checked ${stored.verifyPayment}` : stored.value ?? stored.unitPrice ? `worth ${stored.value ?? stored.unitPrice} (payment checked at or above the threshold)` : 'no value set: its orders are payment-checked (set --value)';
  session.out(
    `${existing ? 'Updated' : 'Created'} SKU ${sku}${stored.name ? ` (${stored.name})` : ''}: reorder ${stored.reorderQuantity} when fewer than ${stored.threshold} available; ${restock}; ${checked}; ${describeVelocity(stored.velocity)}.`,
  );
}

async function listSkus(session: Session, options: GlobalOptions): Promise<void> {
  const deps = await (await session.connect(options)).deps();
  const rows = await mapLimited(await allSkus(deps), 8, async (sku) => {
    const config = await deps.catalog.getSkuConfig(sku);
    return { ...(config ?? { sku, threshold: 0, reorderQuantity: 0 }), ...(await availableOf(deps, sku)) };
  });
  session.list(rows, options, 'No SKUs yet. Create one with `sku set <sku> --threshold <n> --reorder <n>`.', [
    { header: 'SKU', value: (r) => r.sku },
    { header: 'NAME', value: (r) => r.name },
    { header: 'AVAILABLE', value: (r) => formatBounded(r.available, r.availableCapped), align: 'right' },
    { header: 'THRESHOLD', value: (r) => r.threshold, align: 'right' },
    { header: 'REORDER QTY', value: (r) => r.reorderQuantity, align: 'right' },
    { header: 'SUPPLIER', value: (r) => supplierOffers(r).map((o) => o.supplier).join(' > ') || undefined },
    { header: 'PRODUCT', value: (r) => r.supplierProductId },
    { header: 'UNIT PRICE', value: (r) => r.unitPrice, align: 'right' },
  ]);
}
