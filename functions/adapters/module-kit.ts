// What every adapter module (a platform, supplier or channel folder) is made of, beyond its adapter:
// its environment contract, what the deployed stack must give it, and its local stand-ins. The module
// object is the one thing a registry lists; lib/ and local/ derive their wiring from it.
import * as z from 'zod/mini';

/** A CloudFormation parameter an adapter needs (created once per stack, shared by name). */
export interface DeployParameter {
  readonly description: string;
  readonly default?: string;
  readonly allowedPattern?: string;
}

/** An IAM statement. Resources are ARN templates over `${Partition}`, `${Region}`, `${AccountId}` and `${param:<Name>}`. */
export interface DeployStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Why the adapter needs it: the reviewer's reason, also given to cdk-nag for any wildcard. */
  readonly why: string;
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * What an adapter needs from the deployed stack, as data: the stack applies it to every function that
 * uses the adapter, so its env vars and its grants are always set together.
 */
export interface DeployBinding {
  readonly parameters?: Readonly<Record<string, DeployParameter>>;
  /** Env vars of the adapter's config: a literal, or the value of one of `parameters`. */
  readonly env?: Readonly<Record<string, string | { readonly parameter: string }>>;
  /** Secrets Manager secrets it reads: an exact name, or every name under a prefix (`prefix: true`). */
  readonly secrets?: ReadonlyArray<{ readonly name: string; readonly prefix?: boolean; readonly why: string }>;
  readonly statements?: readonly DeployStatement[];
}

/** A local stand-in of an external API, for `npm start` and the tests. */
export interface RunningFake {
  /** Env vars that point the adapter at this fake (e.g. `RELOADLY_BASE_URL`). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** The fields every module object has. */
export interface AdapterModule<Config> {
  /** Registry key, config value and route segment: lower-case letters, digits and dashes. */
  readonly name: string;
  /** The env vars it reads, parsed when the module is first used (not at every cold start of every function). */
  readonly config: z.ZodMiniType<Config>;
}

/** The module's config from the environment; a missing or malformed key names the module and the key, never a value. */
export function moduleConfig<Config>(module: AdapterModule<Config>, env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = z.safeParse(module.config, set);
  if (!parsed.success) throw new Error(`Invalid configuration of ${module.name}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/** A module by name from a registry list, or a clear error listing the names it knows. */
export function findModule<M extends { readonly name: string }>(modules: readonly M[], kind: string, name: string): M {
  const found = modules.find((m) => m.name === name);
  if (!found) throw new Error(`Unknown ${kind} "${name}". Known ${kind}s: ${modules.map((m) => m.name).join(', ')}`);
  return found;
}

/** No env vars: for modules configured entirely by their secret. */
export const NO_CONFIG = z.object({});
