// A customer channel as a module: its adapter factory, config, stack binding and local stand-in.
// channels/registry.ts lists them; the delivery function, the stack and the local runtime derive
// everything else from that list.
import type { SecretReader } from '#adapters/aws/secrets';
import type { AdapterModule, DeployBinding, RunningFake } from '#adapters/module-kit';
import type { DeliveryChannel } from '#core/ports/channel';

/** What a channel adapter may use from the container it runs in. */
export interface ChannelRuntime {
  /** Wraps an AWS SDK client so the tracer records its calls (identity where tracing is off). */
  traced<T>(client: T): T;
  secrets: SecretReader;
}

/** One message as a channel's provider received it, kept by the local outbox. */
export interface OutboxEntry {
  channel: string;
  kind: string;
  locale: string;
  to: { name?: string; phone?: string; email?: string };
  ref: string;
  subject: string;
  body: string;
}

/** The local outbox every channel fake writes into (`npm start` shows it as a page). */
export interface OutboxSink {
  readonly url: string;
  record(entry: OutboxEntry): void;
}

export interface ChannelLocal {
  /** Starts the channel's fake provider, which writes what it accepts into the outbox. */
  startFake(outbox: OutboxSink, options?: Record<string, unknown>): Promise<RunningFake>;
}

export interface ChannelModule<Config = unknown> extends AdapterModule<Config> {
  create(config: Config, runtime: ChannelRuntime): DeliveryChannel;
  /** What the delivery function needs to use it on AWS; absent: local only, the stack refuses it. */
  readonly deploy?: DeployBinding;
  /** Never bundled into a function (lib/bundling.ts keeps `./local` external). */
  readonly local?: () => Promise<ChannelLocal>;
}

/** Typed identity keeping the literal name: checks a module object against the contract where it is written. */
export const defineChannel = <const Name extends string, Config>(module: ChannelModule<Config> & { readonly name: Name }) => module;
