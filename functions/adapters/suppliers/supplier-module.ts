// A wholesale supplier as a module: its adapter factory from the credentials secret, its config, its
// stack binding and its local fake. suppliers/registry.ts lists them; the restock functions, the stack
// and the local runtime derive everything else from that list.
import type * as z from 'zod/mini';
import type { AdapterModule, DeployBinding, RunningFake } from '#adapters/module-kit';
import type { Supplier } from '#core/ports/supplier';

export interface RunningSupplierFake extends RunningFake {
  /** Credentials the fake accepts, as they go into the supplier's secret. */
  readonly credentials: Record<string, string>;
}

/** Knobs every supplier fake takes, so `npm start` and the benchmarks can set them for all at once. */
export interface CommonFakeKnobs {
  /** Delay before every answer. */
  latencyMs?: number;
  /** 0..1: share of calls answered with a 5xx before anything is done. */
  failureRate?: number;
  /** Orders stay pending and settle after this long; false: fulfilled at once. */
  partialFulfilment?: { afterMs?: number; afterReads?: number } | false;
  /** Units left per product id (unlisted products are unlimited). */
  stock?: Record<string, number>;
  /** Account balance. */
  balance?: number;
}

export interface SupplierLocal<Options extends CommonFakeKnobs = CommonFakeKnobs> {
  /** Starts the supplier's fake API; `options` are its knobs (latency, failure rate, pending fulfilment, stock, balance). */
  startFake(options?: Options): Promise<RunningSupplierFake>;
  /** Product ids the fake sells and their unit prices, for the demo SKUs. */
  readonly demoProducts: ReadonlyArray<{ productId: string; unitPrice: number }>;
}

export interface SupplierModule<Credentials = unknown, Config = unknown> extends AdapterModule<Config> {
  /** Shown to merchants: "Reloadly". */
  readonly title: string;
  /** The credentials secret `<SUPPLIER_SECRET_PREFIX><name>`: a JSON object. */
  readonly credentials: z.ZodMiniType<Credentials>;
  /** An example of the secret's value, for docs and stack outputs (no real values). */
  readonly credentialsExample: string;
  create(credentials: Credentials, config: Config): Supplier;
  /** What the restock functions need beyond the supplier secret, on AWS. */
  readonly deploy?: DeployBinding;
  /** Never bundled into a function (lib/bundling.ts keeps `./local` external). */
  readonly local?: () => Promise<SupplierLocal>;
}

/** Typed identity keeping the literal name: checks a module object against the contract where it is written. */
export const defineSupplier = <const Name extends string, Credentials, Config>(module: SupplierModule<Credentials, Config> & { readonly name: Name }) => module;
