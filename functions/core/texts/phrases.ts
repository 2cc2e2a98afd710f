// The words of customer messages, one module per language implementing this shape. Channels compose
// them (an SMS is the lines joined, an e-mail adds HTML); nothing else writes customer-facing text.

export interface Phrases {
  greeting(customerName?: string): string;
  codeSubject(orderReference: string): string;
  thanks(orderReference: string, productName?: string): string;
  code(value: string): string;
  pin(value: string): string;
  serial(value: string): string;
  /** `date` is YYYY-MM-DD. */
  validUntil(date: string): string;
  /** Leads to the reveal link, which follows on its own line (clients link a bare URL, and bidi cannot reorder it). */
  revealLinkIntro: string;
  /** The label of the link where a channel shows it as a button (the e-mail's HTML part). */
  revealLinkButton: string;
  /** `date` is YYYY-MM-DD: the link's expiry, not the code's. */
  revealLinkValidUntil(date: string): string;
  backorderSubject(orderReference: string): string;
  backorderBody(orderReference: string): string;
  /** The one-time reveal page the customer opens from a link (GET /c/<token>). */
  revealPage: RevealPagePhrases;
}

/** Labels stand alone on the page (the value sits in its own box), unlike the message lines above. */
export interface RevealPagePhrases {
  /** The page a link opens to (before the code is shown: link previews and mail scanners open it too). */
  confirmTitle: string;
  /** Before the button: the code is shown once, so open it when it can be copied and kept. */
  confirmNotice: string;
  /** The one button, which shows the code. */
  showCode: string;
  /** The button's words once tapped, while the code page loads. */
  showCodeBusy: string;
  revealTitle: string;
  /** The link works once: the customer must keep the code now. */
  onceNotice: string;
  codeLabel: string;
  pinLabel: string;
  serialLabel: string;
  validUntilLabel: string;
  copy: string;
  /** The code's own button, wider and alone on its line. */
  copyCode: string;
  copied: string;
  /** Shown when the clipboard is unavailable and the value was selected instead. */
  selected: string;
  orderReferenceLabel: string;
  alreadyRevealedTitle: string;
  alreadyRevealedBody: string;
  expiredTitle: string;
  expiredBody: string;
  /** Names the store when known, so the customer knows whom to ask. */
  contactStore(storeName?: string): string;
  notFoundTitle: string;
  notFoundBody: string;
  tooManyRequestsTitle: string;
  tooManyRequestsBody: string;
}
