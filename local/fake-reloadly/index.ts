// Local fake of Reloadly Gift Cards: started by the local runtime and by the adapter's tests.
export { startFakeReloadly, type FakeReloadly, type FakeReloadlyOptions, type FakeReloadlyStats } from './fake-reloadly';
export type { PartialFulfilment } from './ledger';
