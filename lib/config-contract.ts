// The Lambda environment contract seen from CDK. Names, defaults and which keys are required all come from
// functions/wiring/config.ts (the source of truth), so the stack cannot drift from what the handlers parse.
// Adapter modules carry their own config; their bindings set it (lib/streamsync-function.ts applyBinding).
import { configSchema, type Config } from '#wiring/config';

export type ConfigKey = keyof typeof configSchema.shape;

/** Keys only the local runtime sets. The deployed stack never does: secrets never live in env vars there. */
export type LocalOnlyConfigKey = 'LOCAL_SECRETS_JSON';

/** Keys the CDK stack may set on a deployed function. */
export type DeployedConfigKey = Exclude<ConfigKey, LocalOnlyConfigKey>;

type Parser = { safeParse(value: unknown): { success: boolean; data?: unknown } };
const field = (key: ConfigKey): Parser => configSchema.shape[key] as unknown as Parser;

/** The value config.ts falls back to when `key` is unset, e.g. `streamsync/webhook/` for WEBHOOK_SECRET_PREFIX. */
export function configDefault<K extends ConfigKey>(key: K): Config[K] {
  const parsed = field(key).safeParse(undefined);
  if (!parsed.success) throw new Error(`${key} has no default in functions/wiring/config.ts`);
  return parsed.data as Config[K];
}

/** Keys without a default: a function whose environment lacks one of them fails at cold start. */
export const REQUIRED_CONFIG_KEYS: readonly ConfigKey[] = (Object.keys(configSchema.shape) as ConfigKey[]).filter(
  (key) => !field(key).safeParse(undefined).success,
);
