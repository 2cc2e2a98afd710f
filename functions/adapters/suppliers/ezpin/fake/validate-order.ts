// Local fake of EZ PIN: the checks POST /orders/ makes on its body before any business rule, with
// Django REST framework's answer shapes (field errors as `{ field: ["…"] }`).
import type { OrderInput, Refusal } from './ledger';

/** Strict v4: what EZ PIN's docs ask for ("a unique UUID v4"). */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const integer = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

const field = (name: string, message: string): Refusal => ({
  status: 400,
  detail: `${name}: ${message}`,
  body: { [name]: [message] },
});

/**
 * The order the body asks for, or why it is refused. `reference` is the body's reference_code when
 * it has one, so the fake can count POSTs per reference even for refused ones.
 */
export function validateOrder(
  body: Record<string, unknown> | undefined,
  terminal: { terminalId?: number; terminalPin?: string },
): { reference?: string; result: OrderInput | Refusal } {
  if (!body) return { result: { status: 400, detail: 'JSON parse error' } };
  const reference = typeof body.reference_code === 'string' ? body.reference_code : undefined;
  const refuse = (result: Refusal) => ({ reference, result });
  if (!reference || !UUID_V4.test(reference)) return refuse(field('reference_code', 'Must be a valid UUID v4.'));
  const sku = integer(body.sku);
  if (sku === undefined || sku < 1) return refuse(field('sku', 'A valid integer is required.'));
  const quantity = integer(body.quantity);
  if (quantity === undefined || quantity < 1) return refuse(field('quantity', 'A valid integer is required.'));
  const price = typeof body.price === 'string' && /^\d+(\.\d+)?$/.test(body.price.trim()) ? Number(body.price) : body.price;
  if (typeof price !== 'number' || !(price > 0)) return refuse(field('price', 'A valid number is required.'));
  if (body.pre_order !== undefined && typeof body.pre_order !== 'boolean') return refuse(field('pre_order', 'Must be a valid boolean.'));
  if (body.pre_order !== true && quantity > 5) {
    return refuse({ status: 400, detail: 'An immediate order is limited to a total of five digital cards.' });
  }
  const deliveryType = body.delivery_type === undefined ? 0 : integer(body.delivery_type);
  if (deliveryType === undefined || deliveryType < 0 || deliveryType > 3) return refuse(field('delivery_type', 'Not a valid choice.'));
  const destination = typeof body.destination === 'string' ? body.destination.trim() : '';
  if (deliveryType !== 0 && !destination) return refuse(field('destination', 'This field may not be blank.'));
  const terminalId = body.terminal_id === undefined || body.terminal_id === null ? null : integer(body.terminal_id) ?? NaN;
  const wrongTerminal = terminal.terminalId !== undefined && terminalId !== terminal.terminalId;
  const wrongPin = terminal.terminalPin !== undefined && String(body.terminal_pin ?? '') !== terminal.terminalPin;
  if (Number.isNaN(terminalId) || wrongTerminal || wrongPin) return refuse({ status: 406, code: 617, detail: 'wrong pin or terminal' });
  return { reference, result: { sku, quantity, price, referenceCode: reference, terminalId: terminalId as number | null, deliveryType, destination } };
}
