// The inside of <main> for each state, in the page's words. Every interpolated value is escaped here;
// values that are Latin codes or references are isolated left-to-right so an Arabic page cannot
// reorder their characters (a leading '#' or trailing '-' would otherwise jump sides).
import type { CodeMaterial } from '#core/model';
import type { RevealPagePhrases } from '#core/texts/phrases';
import { escapeHtml as esc } from './html-escape';

export interface RevealContent {
  orderReference: string;
  productName?: string;
  code: CodeMaterial;
}

/** The page a link opens to: what the code is for, never the code. */
export interface ConfirmContent {
  orderReference: string;
  productName?: string;
}

export interface ClosedContent {
  orderReference: string;
  storeName?: string;
}

const ICONS = {
  lock: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  unknown: '<circle cx="12" cy="12" r="9"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14"/><path d="M12 17h.01"/>',
  wait: '<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4"/><path d="M12 17h.01"/>',
} as const;

const icon = (name: keyof typeof ICONS, tone = '') =>
  `<div class="icon${tone}"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${ICONS[name]}</svg></div>`;

function copyItem(id: string, label: string, value: string, copy: string, primary = false): string {
  return (
    `<div class="item${primary ? ' primary' : ''}"><dt id="${id}-label">${esc(label)}</dt>` +
    `<dd><code class="value" id="${id}" dir="ltr">${esc(value)}</code>` +
    `<button type="button" data-copy="${id}" data-label="${esc(copy)}" aria-describedby="${id}-label">${esc(copy)}</button></dd></div>`
  );
}

const fact = (label: string, value: string) => `<div><dt>${esc(label)}</dt><dd><bdi dir="ltr">${esc(value)}</bdi></dd></div>`;

export function revealBody(content: RevealContent, p: RevealPagePhrases): string {
  const { code } = content;
  const items = [copyItem('code', p.codeLabel, code.code, p.copyCode, true)];
  if (code.pin) items.push(copyItem('pin', p.pinLabel, code.pin, p.copy));
  if (code.serial) items.push(copyItem('serial', p.serialLabel, code.serial, p.copy));
  const facts = [fact(p.orderReferenceLabel, content.orderReference)];
  // The date part only, as in the messages: a time zone would mislead more than it tells.
  if (code.expiresAt) facts.push(fact(p.validUntilLabel, code.expiresAt.slice(0, 10)));
  return (
    `<h1>${esc(p.revealTitle)}</h1>` +
    (content.productName ? `<p class="sub"><bdi>${esc(content.productName)}</bdi></p>` : '') +
    `<p class="notice">${esc(p.onceNotice)}</p>` +
    `<dl>${items.join('')}</dl>` +
    `<dl class="facts">${facts.join('')}</dl>` +
    `<p id="copy-status" class="toast" role="status" aria-live="polite" data-done="${esc(p.copied)}" data-selected="${esc(p.selected)}"></p>`
  );
}

/**
 * CONFIRM: what the code is for, the once-only notice and one button. The button is a form posting to
 * the page's own URL (no action attribute, no fields): only that POST shows the code, so whatever
 * fetches the link without submitting the form (a link preview, a mail scanner) spends nothing.
 */
export function confirmBody(content: ConfirmContent, p: RevealPagePhrases): string {
  return (
    `<h1>${esc(p.confirmTitle)}</h1>` +
    (content.productName ? `<p class="sub"><bdi>${esc(content.productName)}</bdi></p>` : '') +
    `<p class="notice">${esc(p.confirmNotice)}</p>` +
    `<form method="post" class="show"><button type="submit" data-label="${esc(p.showCode)}" data-busy="${esc(p.showCodeBusy)}">${esc(p.showCode)}</button></form>` +
    `<dl class="facts">${fact(p.orderReferenceLabel, content.orderReference)}</dl>`
  );
}

/** ALREADY_REVEALED and EXPIRED: what happened, the order reference to quote, whom to ask. No code. */
export function closedBody(kind: 'ALREADY_REVEALED' | 'EXPIRED', content: ClosedContent, p: RevealPagePhrases): string {
  const [title, body, glyph] =
    kind === 'ALREADY_REVEALED' ? [p.alreadyRevealedTitle, p.alreadyRevealedBody, icon('lock')] : [p.expiredTitle, p.expiredBody, icon('clock')];
  return (
    `${glyph}<h1>${esc(title)}</h1><p>${esc(body)}</p>` +
    `<div class="ref"><span>${esc(p.orderReferenceLabel)}</span><bdi dir="ltr">${esc(content.orderReference)}</bdi></div>` +
    `<p>${esc(p.contactStore(content.storeName))}</p>`
  );
}

/** Takes no input at all: the page for an unknown token is the same whatever was asked. */
export const notFoundBody = (p: RevealPagePhrases): string => `${icon('unknown', ' bad')}<h1>${esc(p.notFoundTitle)}</h1><p>${esc(p.notFoundBody)}</p>`;

export const tooManyRequestsBody = (p: RevealPagePhrases): string =>
  `${icon('wait')}<h1>${esc(p.tooManyRequestsTitle)}</h1><p>${esc(p.tooManyRequestsBody)}</p>`;
