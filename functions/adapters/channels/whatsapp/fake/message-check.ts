// Local fake of the Graph API: checks a template message as Meta would and renders the approved
// template with its parameters. Refusals use Meta's codes, so the adapter's mapping is exercised.
import { placeholderCount, render, type FakeTemplate, type FakeTemplates } from './templates';

/** A refusal, as the fake answers it (see meta-error.ts). `details` may quote what was sent, as Meta's do. */
export interface Refusal {
  code: number;
  details?: string;
}

export interface CheckedMessage {
  to: string;
  ref?: string;
  templateName: string;
  language: string;
  template: FakeTemplate;
  parameters: string[];
  copyCode?: string;
  /** The template body with the parameters in place. */
  rendered: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const refuse = (code: number, details?: string): { refusal: Refusal } => ({ refusal: { code, details } });

// Meta: no newlines or tabs, at most four consecutive spaces, not empty.
const validText = (text: unknown): text is string => typeof text === 'string' && text.trim() !== '' && !/[\n\t]| {5,}/.test(text);

export function checkTemplateMessage(body: unknown, templates: FakeTemplates): { message: CheckedMessage } | { refusal: Refusal } {
  if (!isObject(body)) return refuse(100, 'The request body is not a JSON object');
  if (body.messaging_product !== 'whatsapp') return refuse(100, 'The parameter messaging_product is required');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') return refuse(100, 'Invalid parameter recipient_type');
  if (typeof body.to !== 'string' || !/^\d{7,15}$/.test(body.to)) return refuse(100, 'Invalid parameter to');
  if (body.type !== 'template' || !isObject(body.template)) return refuse(100, 'This fake accepts template messages only');
  const ref = body.biz_opaque_callback_data;
  if (ref !== undefined && (typeof ref !== 'string' || ref.length > 512)) return refuse(100, 'Invalid parameter biz_opaque_callback_data');

  const { name, language, components } = body.template;
  if (typeof name !== 'string' || !isObject(language) || typeof language.code !== 'string') return refuse(100, 'Invalid parameter template');
  if (language.policy !== undefined && language.policy !== 'deterministic') return refuse(100, 'Invalid parameter template.language.policy');
  const template = templates[name]?.[language.code];
  if (!template) return refuse(132001, `template name (${name}) does not exist in ${language.code}`);
  if (components !== undefined && !Array.isArray(components)) return refuse(100, 'Invalid parameter template.components');

  let parameters: string[] = [];
  let copyCode: string | undefined;
  for (const component of (components ?? []) as unknown[]) {
    if (!isObject(component)) return refuse(100, 'Invalid parameter template.components');
    if (component.type === 'body') {
      if (!Array.isArray(component.parameters)) return refuse(100, 'Invalid parameter body.parameters');
      parameters = [];
      for (const p of component.parameters as unknown[]) {
        if (!isObject(p) || p.type !== 'text') return refuse(100, 'Invalid parameter body.parameters');
        if (!validText(p.text)) return refuse(132018, `Param text cannot have new-line/tab characters or more than 4 consecutive spaces: ${String(p.text)}`);
        parameters.push(p.text);
      }
    } else if (component.type === 'button') {
      const found = copyCodeOf(component, template);
      if ('refusal' in found) return found;
      copyCode = found.code;
    } else {
      return refuse(100, 'Invalid parameter template.components.type');
    }
  }
  const expected = placeholderCount(template.body);
  if (parameters.length !== expected) return refuse(132000, `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`);
  return { message: { to: body.to, ref: typeof ref === 'string' ? ref : undefined, templateName: name, language: language.code, template, parameters, copyCode, rendered: render(template.body, parameters) } };
}

// Meta keeps the button optional when sending (it is checked at approval), so the fake does too.
function copyCodeOf(component: Json, template: FakeTemplate): { code: string } | { refusal: Refusal } {
  if (component.sub_type !== 'copy_code' || Number(component.index) !== 0) return refuse(100, 'Invalid parameter button');
  if (!template.copyCodeButton) return refuse(132000, 'button: the template has no copy code button');
  const params = component.parameters;
  const p = Array.isArray(params) && params.length === 1 ? (params[0] as unknown) : undefined;
  if (!isObject(p) || p.type !== 'coupon_code' || typeof p.coupon_code !== 'string' || p.coupon_code === '') return refuse(131008, 'button: coupon_code is required');
  if (p.coupon_code.length > 15) return refuse(131009, `coupon_code is longer than 15 characters: ${p.coupon_code}`);
  return { code: p.coupon_code };
}
