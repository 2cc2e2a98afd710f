// Builds a signed sample Salla order (from the test fixture) for `npm start` and the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sallaSignatureHeaders, zidBasicAuthHeaders } from './webhook-signing';
import { DEMO_SALLA_SECRET, DEMO_ZID_CREDENTIALS } from './demo-data';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', name), 'utf8'));

/** A paid Salla order.created with a fresh order id, so each run is a new order. */
export function sampleSallaOrder(orderId: string, overrides: { quantity?: number; mobile?: number } = {}) {
  const body = fixture('salla/order-created-paid-credit-card.json');
  body.data.id = Number(orderId);
  body.data.reference_id = Number(orderId) % 100_000_000;
  if (overrides.quantity) body.data.items[0].quantity = overrides.quantity;
  if (overrides.mobile) body.data.customer.mobile = overrides.mobile;
  const raw = JSON.stringify(body);
  return { raw, headers: sallaSignatureHeaders(raw, DEMO_SALLA_SECRET) };
}

/** A paid Zid order.create with a fresh order id. */
export function sampleZidOrder(orderId: string, overrides: { quantity?: number } = {}) {
  const body = fixture('zid/order-create-paid.json');
  body.id = Number(orderId);
  if (overrides.quantity) body.products[0].quantity = overrides.quantity;
  const raw = JSON.stringify(body);
  return { raw, headers: zidBasicAuthHeaders(DEMO_ZID_CREDENTIALS.username, DEMO_ZID_CREDENTIALS.password) };
}

/** A ready-to-paste curl command; `data` is curl's --data-binary argument (`@file` sends a file's exact bytes). */
export function curlCommand(url: string, headers: Record<string, string>, data: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const flags = Object.entries(headers).map(([k, v]) => `-H ${quote(`${k}: ${v}`)}`).join(' \\\n     ');
  return `curl -sS -X POST ${quote(url)} \\\n     ${flags} \\\n     --data-binary ${quote(data)}`;
}
