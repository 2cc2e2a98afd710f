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
  backorderSubject(orderReference: string): string;
  backorderBody(orderReference: string): string;
}
