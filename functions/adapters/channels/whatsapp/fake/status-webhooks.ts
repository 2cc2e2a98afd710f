// Local fake of the Graph API: the status webhooks Meta posts for an accepted message, signed with
// the app secret over the exact bytes sent, one POST per status, in order.
import { whatsAppSignatureOf, type MessageStatus } from '../status-callbacks';
import { titleOf } from './meta-error';

export interface StatusTarget {
  url: string;
  appSecret: string;
  phoneNumberId: string;
}

export interface StatusOfMessage {
  wamid: string;
  to: string;
  ref?: string;
  status: MessageStatus;
  /** Meta's code of a failed message. */
  errorCode?: number;
}

/** One webhook body with one status, shaped like Meta's (extra fields included, as Meta sends them). */
export function statusBody(target: StatusTarget, s: StatusOfMessage, nowMs: number): string {
  const status: Record<string, unknown> = {
    id: s.wamid,
    status: s.status,
    timestamp: String(Math.floor(nowMs / 1000)),
    recipient_id: s.to,
    ...(s.ref === undefined ? {} : { biz_opaque_callback_data: s.ref }),
  };
  if (s.status === 'failed') {
    const title = titleOf(s.errorCode ?? 131000);
    status.errors = [{ code: s.errorCode ?? 131000, title, message: title, error_data: { details: title } }];
  } else {
    status.pricing = { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' };
  }
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000000',
        changes: [
          {
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: target.phoneNumberId }, statuses: [status] },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

/** POSTs one signed status webhook. Resolves false when the receiver did not answer 2xx. */
export async function postStatus(target: StatusTarget, s: StatusOfMessage): Promise<boolean> {
  const raw = statusBody(target, s, Date.now());
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${whatsAppSignatureOf(raw, target.appSecret).toString('hex')}` },
      body: raw,
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
