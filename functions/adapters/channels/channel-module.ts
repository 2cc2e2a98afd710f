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
  /**
   * Starts the channel's fake provider, which writes what it accepts into the outbox. `options` are its
   * knobs, plus `callbackUrl` (where a channel with a status webhook posts its statuses).
   */
  startFake(outbox: OutboxSink, options?: Record<string, unknown>): Promise<RunningFake & { readonly secrets?: Readonly<Record<string, string>> }>;
}

/** A provider's report on one message it accepted, as its status webhook carried it. */
export interface ChannelStatusReport {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** The message ref we sent (`<storeId>/<orderId>/<unitId>` for codes); absent for messages of other senders. */
  ref?: string;
  errorCode?: string;
  /** ISO 8601. */
  timestamp: string;
}

/** Route path of a channel's status webhook: the URL pasted into the provider's webhook settings is `<api url><path>`. */
export const statusPath = (channel: string): string => `/channels/${channel}/status`;

export type StatusWebhookAnswer = { statusCode: number; body: string };

/**
 * The provider reports delivery statuses to `POST /channels/<name>/status` (and checks the
 * subscription with a GET). The function serving it reads `secretName` and leaves the rest here.
 */
export interface StatusWebhook {
  readonly secretName: string;
  /** GET: the provider's subscription check (e.g. Meta's hub.challenge). */
  challenge(query: Readonly<Record<string, string | undefined>>, secret: string): StatusWebhookAnswer;
  /** POST: the reports of a request whose signature over the raw body holds, or 'UNAUTHORIZED'. Throws InvalidPayloadError on a malformed body. */
  parse(rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>, secret: string): ChannelStatusReport[] | 'UNAUTHORIZED';
}

export interface ChannelModule<Config = unknown> extends AdapterModule<Config> {
  create(config: Config, runtime: ChannelRuntime): DeliveryChannel;
  /** Present when the provider reports on accepted messages (delivered, read, failed). */
  readonly statusWebhook?: StatusWebhook;
  /** What the delivery function needs to use it on AWS; absent: local only, the stack refuses it. */
  readonly deploy?: DeployBinding;
  /** Never bundled into a function (lib/bundling.ts keeps `./local` external). */
  readonly local?: () => Promise<ChannelLocal>;
}

/** Typed identity keeping the literal name: checks a module object against the contract where it is written. */
export const defineChannel = <const Name extends string, Config>(module: ChannelModule<Config> & { readonly name: Name }) => module;
