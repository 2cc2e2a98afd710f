// `product map` / `product show`: which SKU a store's product delivers, and how many codes per item.
import type { Command } from 'commander';
import { CliError } from '../errors';
import { identifier, storeOption, wholeNumber } from '../options';
import { renderFields } from '../output';
import type { GlobalOptions, Session } from '../session';
import { requireSkuConfig } from '../skus';

interface MapOptions extends GlobalOptions {
  store: string;
  product: string;
  sku: string;
  multiplier: number;
}

export function registerProduct(program: Command, session: Session): void {
  const product = program.command('product').description('Map store products (Salla / Zid) to SKUs');

  storeOption(product.command('map').description('Deliver codes of a SKU for a store product (creates or replaces the mapping)'))
    .requiredOption('--product <platformProductId>', "the product's id on Salla / Zid, or a variant's id (a variant mapping wins over its product's)", identifier)
    .requiredOption('--sku <sku>', 'SKU to deliver; it must exist (see `sku set`)', identifier)
    .option('--multiplier <n>', 'codes per item ordered (a 3-pack product: 3)', wholeNumber(1, 100), 1)
    .addHelpText('after', '\nExample:\n  $ npx tsx cli/streamsync.ts --local product map --store 1305146709 --product 720881993 --sku ITUNES-SA-50\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MapOptions>();
      const deps = await (await session.connect(options)).deps();
      await requireSkuConfig(deps, options.sku, options);
      const mapping = { storeId: options.store, productId: options.product, sku: options.sku, multiplier: options.multiplier };
      await deps.catalog.putProductMapping(mapping);
      if (options.json) session.json(mapping);
      else session.out(`Mapped store ${mapping.storeId} product ${mapping.productId} → SKU ${mapping.sku} (${mapping.multiplier} code${mapping.multiplier === 1 ? '' : 's'} per item).`);
    });

  product
    .command('show')
    .description('Show which SKU a store product maps to')
    .requiredOption('--store <id>', 'store id', identifier)
    .requiredOption('--product <platformProductId>', "the product's id on Salla / Zid", identifier)
    .addHelpText('after', '\nExample:\n  $ npx tsx cli/streamsync.ts --local product show --store 1305146709 --product 720881993\n')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { store: string; product: string }>();
      const deps = await (await session.connect(options)).deps();
      const mapping = (await deps.catalog.getProductMappings(options.store, [options.product])).get(options.product);
      if (!mapping) {
        throw new CliError(`Store ${options.store} product ${options.product} is not mapped: order lines for it are ignored. Map it with \`product map\`.`);
      }
      if (options.json) session.json(mapping);
      else session.out(renderFields([['store', mapping.storeId], ['product', mapping.productId], ['sku', mapping.sku], ['multiplier', mapping.multiplier]]));
    });
}
