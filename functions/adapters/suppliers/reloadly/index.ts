// Reloadly Gift Cards adapter: the only module the registry imports.
export { ReloadlySupplier, type ReloadlySupplierOptions } from './reloadly-supplier';
