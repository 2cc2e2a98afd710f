// `product map` / `product show`: which SKU a store's product delivers, and how many codes per item.
import type { Command } from 'commander';
import { CliError } from '../errors';
import { identifier, storeOption, wholeNumber } from '../options';
import { renderFields } from '../output';
import type { GlobalOptions, Session } from '../session';
import { requireSkuConfig } from '../skus';

interface MapOptions extends GlobalOptions {
  store: string;
  product?: string;
  variant?: string;
  sku: string;
  multiplier: number;
}

/** Exactly one of --product / --variant: they are distinct keys (a variant id may equal some product's id). */
function mappedId(options: { product?: string; variant?: string }): { productId: string; variant?: true } {
  if (options.product !== undefined && options.variant !== undefined) throw new CliError('Give --product or --variant, not both: a variant mapping is keyed by the variant id alone.');
  if (options.variant !== undefined) return { productId: options.variant, variant: true };
  if (options.product !== undefined) return { productId: options.product };
  throw new CliError('Give --product <id> (a product) or --variant <id> (one of its variants).');
}

type MappedIdOptions = GlobalOptions & { store: string; product?: string; variant?: string };

/** --store and one of --product / --variant: which mapping a command reads or removes. */
const mappedIdOptions = (command: Command): Command =>
  command
    .requiredOption('--store <id>', 'store id', identifier)
    .option('--product <platformProductId>', "the product's id on Salla / Zid", identifier)
    .option('--variant <variantId>', "instead of --product: a variant's id", identifier);

const describeMapped = (m: { productId: string; variant?: boolean }) => `${m.variant ? 'variant' : 'product'} ${m.productId}`;

export function registerProduct(program: Command, session: Session): void {
  const product = program.command('product').description('Map store products (Salla / Zid) to SKUs');

  storeOption(product.command('map').description('Deliver codes of a SKU for a store product (creates or replaces the mapping; a replaced one within 30 s where a webhook container read it already)'))
    .option('--product <platformProductId>', "the product's id on Salla / Zid", identifier)
    .option('--variant <variantId>', "instead of --product: a variant's id (Salla product_sku_id); a variant mapping wins over its product's", identifier)
    .requiredOption('--sku <sku>', 'SKU to deliver; it must exist (see `sku set`)', identifier)
    .option('--multiplier <n>', 'codes per item ordered (a 3-pack product: 3)', wholeNumber(1, 100), 1)
    .addHelpText('after', '\nExamples:\n  $ npx tsx cli/streamsync.ts --local product map --store 1305146709 --product 720881993 --sku ITUNES-SA-50\n  $ npx tsx cli/streamsync.ts --local product map --store 1305146709 --variant 1584721196 --sku ITUNES-SA-100\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MapOptions>();
      const id = mappedId(options);
      const deps = await (await session.connect(options)).deps();
      await requireSkuConfig(deps, options.sku, options);
      const mapping = { storeId: options.store, ...id, sku: options.sku, multiplier: options.multiplier };
      await deps.catalog.putProductMapping(mapping);
      if (options.json) session.json(mapping);
      else session.out(`Mapped store ${mapping.storeId} ${describeMapped(mapping)} → SKU ${mapping.sku} (${mapping.multiplier} code${mapping.multiplier === 1 ? '' : 's'} per item).`);
    });

  mappedIdOptions(product.command('unmap').description('Stop delivering for a store product (or variant): its order lines are ignored from now on (within 30 s where a webhook container read it already)'))
    .addHelpText('after', '\nExample (a variant mapped as a product before variants had keys of their own):\n  $ npx tsx cli/streamsync.ts product unmap --store 1305146709 --product 1584721196\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MappedIdOptions>();
      const id = mappedId(options);
      const deps = await (await session.connect(options)).deps();
      const removed = await deps.catalog.deleteProductMapping({ storeId: options.store, ...id });
      if (options.json) session.json({ storeId: options.store, ...id, removed });
      else session.out(removed ? `Unmapped store ${options.store} ${describeMapped(id)}: its order lines are ignored from now on (within 30 s by webhook containers that read the mapping already).` : `Store ${options.store} ${describeMapped(id)} was not mapped: nothing changed.`);
    });

  mappedIdOptions(product.command('show').description('Show which SKU a store product (or variant) maps to'))
    .addHelpText('after', '\nExample:\n  $ npx tsx cli/streamsync.ts --local product show --store 1305146709 --product 720881993\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MappedIdOptions>();
      const id = mappedId(options);
      const deps = await (await session.connect(options)).deps();
      const found = await deps.catalog.getLineMappings(options.store, id.variant ? [] : [id.productId], id.variant ? [id.productId] : []);
      const mapping = (id.variant ? found.variants : found.products).get(id.productId);
      if (!mapping) {
        throw new CliError(`Store ${options.store} ${describeMapped(id)} is not mapped: order lines for it are ignored. Map it with \`product map\`.`);
      }
      if (options.json) session.json(mapping);
      else session.out(renderFields([['store', mapping.storeId], [mapping.variant ? 'variant' : 'product', mapping.productId], ['sku', mapping.sku], ['multiplier', mapping.multiplier]]));
    });
}
