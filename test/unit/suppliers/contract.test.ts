// The supplier contract (supplier-contract.ts), run for every registered supplier against its own
// fake, built the way the stack builds it: module credentials schema, module config from the fake's env.
import { moduleConfig } from '#adapters/module-kit';
import { ezpin } from '#adapters/suppliers/ezpin/index';
import type { FakeEzpin } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { reloadly } from '#adapters/suppliers/reloadly/index';
import type { FakeReloadly } from '#adapters/suppliers/reloadly/fake/fake-reloadly';
import type { RunningSupplierFake, SupplierModule } from '#adapters/suppliers/supplier-module';
import * as z from 'zod/mini';
import { describeSupplierContract, type ContractSetup } from './supplier-contract';

/** `purchases` reads the fake's own stats: each fake counts committed orders under its own name. */
function moduleSetup(module: SupplierModule, purchases: (fake: RunningSupplierFake) => number): ContractSetup {
  return async (knobs) => {
    const local = await module.local!();
    const fake = await local.startFake(knobs);
    const supplier = module.create(z.parse(module.credentials, fake.credentials), moduleConfig(module, fake.env));
    return { supplier, product: local.demoProducts[0], purchases: () => purchases(fake), stop: () => fake.stop() };
  };
}

const RUNS: Record<string, ContractSetup> = {
  reloadly: moduleSetup(reloadly, (fake) => (fake as unknown as FakeReloadly).stats().ordersPlaced),
  ezpin: moduleSetup(ezpin, (fake) => (fake as unknown as FakeEzpin).stats().ordersPlaced),
};

for (const [name, setup] of Object.entries(RUNS)) describeSupplierContract(name, setup);

it('runs the contract for every registered supplier', () => {
  expect(Object.keys(RUNS).sort()).toEqual(SUPPLIERS.map((s) => s.name).sort());
});
