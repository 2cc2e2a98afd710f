// Local fake of Reloadly: the account behind the endpoints — balance, stock, transactions and their
// cards, and the order rules (customIdentifier uniqueness, price, stock, balance). No HTTP here.
import { randomCard, type Random } from './random';

export type FakeStatus = 'SUCCESSFUL' | 'PENDING' | 'PROCESSING' | 'FAILED' | 'REFUNDED';

export interface PartialFulfilment {
  /** Status an order starts in. Default PROCESSING. */
  initialStatus?: 'PENDING' | 'PROCESSING';
  /**
   * Settles once the transaction has been read this many times before (report rows, by id, cards):
   * with 1, the first read still answers PENDING/PROCESSING, the second answers SUCCESSFUL.
   */
  afterReads?: number;
  /** Alias of `afterReads`. */
  afterLookups?: number;
  /** Settles this many ms after it was placed. */
  afterMs?: number;
}

export interface LedgerRules {
  partialFulfilment?: PartialFulfilment | false;
  /** Units left per productId; a product not listed is unlimited. */
  stock: Record<string, number>;
  /** Accepted unit prices per productId; a product not listed takes any positive price. */
  denominations: Record<string, number[]>;
  /** Products whose orders end FAILED or REFUNDED (charged, then given back). */
  failProducts: Record<string, 'FAILED' | 'REFUNDED'>;
  currencyCode: string;
  /** Cards each successful order is short of its quantity (a supplier delivering fewer than ordered). */
  withholdCards: number;
}

export interface FakeTransaction {
  transactionId: number;
  customIdentifier: string | null;
  productId: number;
  quantity: number;
  unitPrice: number;
  amount: number;
  status: FakeStatus;
  finalStatus: 'SUCCESSFUL' | 'FAILED' | 'REFUNDED';
  recipientEmail: string | null;
  createdAt: number;
  reads: number;
  balanceBefore: number;
  cards: Array<{ cardNumber: string; pinCode: string }>;
}

export interface OrderInput {
  productId: number;
  quantity: number;
  unitPrice: number;
  customIdentifier: string | null;
  recipientEmail: string | null;
}

/** A refusal, as Reloadly words it: HTTP status, `errorCode` (often null for gift cards), message. */
export interface Refusal {
  status: number;
  errorCode: string | null;
  message: string;
}

export class Ledger {
  readonly transactions: FakeTransaction[] = [];
  readonly ordersByCustomIdentifier: Record<string, number> = {};
  cardsIssued = 0;
  rejectedDuplicates = 0;
  private nextId = 1;
  private readonly issued = new Set<string>();
  /** Cards handed out again before any new one: a supplier re-selling codes it sold before. */
  reissue: Array<{ cardNumber: string; pinCode: string }> = [];

  constructor(
    public balance: number,
    public rules: LedgerRules,
    private readonly random: () => Random,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies Reloadly's order rules in the order a real API would, then commits (charges, reserves stock). */
  order(input: OrderInput): FakeTransaction | Refusal {
    const product = String(input.productId);
    const id = input.customIdentifier;
    // Documented by third parties as what Reloadly answers to a reused customIdentifier.
    if (id !== null && this.transactions.some((t) => t.customIdentifier?.toLowerCase() === id.toLowerCase())) {
      this.rejectedDuplicates += 1;
      return { status: 400, errorCode: 'CUSTOM_IDENTIFIER_ALREADY_USED', message: `Custom identifier ${id} has already been used` };
    }
    const accepted = this.rules.denominations[product];
    if (accepted && !accepted.includes(input.unitPrice)) {
      return { status: 400, errorCode: null, message: 'Invalid price, please ensure you selected the right price.' };
    }
    const left = this.rules.stock[product];
    if (left !== undefined && left < input.quantity) {
      return { status: 400, errorCode: null, message: 'The requested product is currently out of stock' };
    }
    const amount = round(input.unitPrice * input.quantity);
    if (amount > this.balance) {
      return { status: 400, errorCode: 'INSUFFICIENT_BALANCE', message: 'Insufficient balance to complete this transaction' };
    }
    if (left !== undefined) this.rules.stock[product] = left - input.quantity;
    const balanceBefore = this.balance;
    this.balance = round(this.balance - amount);
    const partial = this.rules.partialFulfilment;
    const transaction: FakeTransaction = {
      transactionId: this.nextId++,
      ...input,
      amount,
      status: partial ? (partial.initialStatus ?? 'PROCESSING') : 'PENDING',
      finalStatus: this.rules.failProducts[product] ?? 'SUCCESSFUL',
      createdAt: this.now(),
      reads: 0,
      balanceBefore,
      cards: [],
    };
    this.transactions.push(transaction);
    if (id !== null) this.ordersByCustomIdentifier[id] = (this.ordersByCustomIdentifier[id] ?? 0) + 1;
    if (!partial) this.settle(transaction);
    return transaction;
  }

  /** One read of a transaction by a client: counts towards `afterReads`, settles it when due. */
  read(transaction: FakeTransaction): FakeTransaction {
    const partial = this.rules.partialFulfilment;
    if (transaction.status !== transaction.finalStatus && partial) {
      const afterReads = partial.afterReads ?? partial.afterLookups;
      const byReads = afterReads !== undefined && transaction.reads >= afterReads;
      const byTime = partial.afterMs !== undefined && this.now() - transaction.createdAt >= partial.afterMs;
      if (byReads || byTime) this.settle(transaction);
    }
    transaction.reads += 1;
    return transaction;
  }

  find(transactionId: number): FakeTransaction | undefined {
    return this.transactions.find((t) => t.transactionId === transactionId);
  }

  private settle(transaction: FakeTransaction): void {
    transaction.status = transaction.finalStatus;
    if (transaction.finalStatus !== 'SUCCESSFUL') {
      // Nothing delivered, nothing kept: the money and the stock go back.
      this.balance = round(this.balance + transaction.amount);
      const product = String(transaction.productId);
      if (this.rules.stock[product] !== undefined) this.rules.stock[product] += transaction.quantity;
      return;
    }
    const random = this.random();
    const count = Math.max(0, transaction.quantity - this.rules.withholdCards);
    while (transaction.cards.length < count && this.reissue.length > 0) transaction.cards.push(this.reissue.shift()!);
    while (transaction.cards.length < count) {
      const card = randomCard(random);
      if (this.issued.has(card.cardNumber)) continue;
      this.issued.add(card.cardNumber);
      transaction.cards.push(card);
    }
    this.cardsIssued += count;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
