// Customer messages as WhatsApp template messages through Meta's Cloud API (Graph API over HTTPS).
// One request per message and no retry here: the failure kind goes back to the delivery core, which
// owns retries and fallbacks (a blind re-send after a timeout could deliver the code twice).
import { ChannelError } from '#core/errors';
import { isMobileNumber } from '#core/contact';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import type { SecretReader } from '#adapters/aws/secrets';
import { graphFailure } from './graph-errors';
import { postGraph } from './graph-http';
import { recipientOf, templateMessage, type TemplateNames } from './template-message';
import { parseWhatsAppSecret } from './whatsapp-secret';

export interface WhatsAppChannelOptions {
  /** `https://graph.facebook.com`, or a local fake. */
  baseUrl: string;
  /** `v26.0`. */
  graphVersion: string;
  phoneNumberId: string;
  templates: TemplateNames;
  tokenSecretName: string;
  timeoutMs: number;
  /** How long a token read from the secret is reused before it is read again. */
  tokenMaxAgeMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface CachedToken {
  value: Promise<string>;
  readAt: number;
}

export class WhatsAppChannel implements DeliveryChannel {
  readonly name = 'whatsapp';
  private token?: CachedToken;
  private readonly url: string;

  constructor(private readonly options: WhatsAppChannelOptions, private readonly secrets: SecretReader) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/${options.graphVersion}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  }

  /** WhatsApp reaches a mobile number (whether it is on WhatsApp only Meta can say: 131026 then). */
  canReach(to: Contact): boolean {
    return isMobileNumber(to.phone);
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    const to = recipientOf(message);
    const body = templateMessage(message, to, this.options.templates);
    const token = await this.accessToken(message.ref);
    const answer = await postGraph({ url: this.url, token, body, timeoutMs: this.options.timeoutMs, ref: message.ref, fetch: this.options.fetch ?? fetch });
    if (answer.status >= 200 && answer.status < 300) return { providerMessageId: wamidOf(message.ref, answer.text) };
    const failure = graphFailure(message.ref, answer.status, answer.text, answer.retryAfter);
    // A refused token may have been rotated in the secret since: read it again next time.
    if (failure.reason === '190' || answer.status === 401) this.token = undefined;
    throw failure;
  }

  private accessToken(ref: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.token && now - this.token.readAt < (this.options.tokenMaxAgeMs ?? 300_000)) return this.token.value;
    const cached: CachedToken = { value: this.readToken(ref), readAt: now };
    this.token = cached;
    cached.value.catch(() => {
      if (this.token === cached) this.token = undefined;
    });
    return cached.value;
  }

  private async readToken(ref: string): Promise<string> {
    const name = this.options.tokenSecretName;
    let value: string | undefined;
    try {
      value = await this.secrets.get(name);
    } catch {
      throw new ChannelError(`whatsapp: ${ref}: secret ${name} could not be read`, 'TRANSIENT', 'SECRET_UNAVAILABLE');
    }
    if (value === undefined) throw new ChannelError(`whatsapp: ${ref}: secret ${name} does not exist`, 'PERMANENT', 'NO_TOKEN');
    const secret = parseWhatsAppSecret(value);
    if (!secret) throw new ChannelError(`whatsapp: ${ref}: secret ${name} holds no token`, 'PERMANENT', 'NO_TOKEN');
    return secret.token;
  }
}

/** `messages[0].id` of the answer. A 2xx without one is not proof of acceptance. */
function wamidOf(ref: string, text: string): string {
  try {
    const id = (JSON.parse(text) as { messages?: Array<{ id?: unknown }> }).messages?.[0]?.id;
    if (typeof id === 'string' && id !== '') return id;
  } catch {
    // fall through: unreadable
  }
  throw new ChannelError(`whatsapp: ${ref}: accepted answer without a message id`, 'UNKNOWN_OUTCOME', 'unreadable');
}
