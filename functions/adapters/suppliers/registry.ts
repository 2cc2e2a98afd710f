// The wholesale suppliers StreamSync reorders from. Adding one: a folder exporting its module, and a line here.
import { ezpin } from './ezpin';
import { reloadly } from './reloadly';

export const SUPPLIERS = [reloadly, ezpin] as const;

export type SupplierName = (typeof SUPPLIERS)[number]['name'];
