// Binding a code to a unit: the claim transaction over a candidate from the available index, and the
// return of a code the customer never had (a reservation nothing was sent for, a link nobody opened).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, ClaimStore, WaitingUnit } from '#core/ports/claims';
import type { SendLease } from '#core/ports/sends';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import { ClaimCandidates, type Candidate, type CandidateOptions } from './claim-candidates';
import { transact, type Clause } from './conditions';
import { backorderKeyOf, codeBackToStock, codeKeyOf, orderCancelled, orderNotCancelled, unitFrom, unitKeyOf } from './items';

type ClaimClause = 'orderNotCancelled' | 'unitIsNew' | 'unitBackordered' | 'codeAvailable' | 'fifoEntryReserved';

/**
 * The claim: [order not cancelled, unit write, code AVAILABLE → RESERVED]. The order of the clauses is the
 * precedence of the outcomes: a cancelled order or an existing unit ends the claim even when the code was
 * taken too; only a lost code moves on to the next candidate. (The claim benchmark writes these too.)
 */
export function claimTransactionItems(table: string, unit: NewUnit | WaitingUnit, code: Candidate, mode: 'NEW' | 'BACKORDERED', now: string, lease?: SendLease): Array<Clause<ClaimClause>> {
  const unitKey = unitKeyOf(unit);
  const { codeId, codeKey } = code;
  const reserveCode: Clause<'codeAvailable'> = {
    name: 'codeAvailable',
    write: {
      Update: {
        TableName: table,
        Key: codeKeyOf({ sku: unit.sku, codeId, codeKey }),
        UpdateExpression: 'SET #status = :reserved, orderPk = :orderPk, unitSk = :unitSk, reservedAt = :now REMOVE availPk, availSk',
        ConditionExpression: '#status = :available',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':reserved': 'RESERVED', ':available': 'AVAILABLE', ':orderPk': unitKey.pk, ':unitSk': unitKey.sk, ':now': now },
      },
    },
  };
  // A new unit is sent right after its claim, so it is committed to sending, under this sender's lease,
  // in the same write. A backordered unit's FIFO entry stays until its RESUME message is out (the filler
  // removes it), marked reserved so the reorder decision no longer counts the unit as waiting.
  const sendLease = lease ? { sendOwner: lease.owner, sendLeaseUntil: lease.until, sendAttempts: 1 } : {};
  const unitWrite: Clause<'unitIsNew' | 'unitBackordered'> =
    mode === 'NEW'
      ? {
          name: 'unitIsNew',
          write: {
            Put: { TableName: table, Item: { ...unitKey, ...unit, state: 'RESERVED', codeId, codeKey, reservedAt: now, sendStartedAt: now, ...sendLease }, ConditionExpression: 'attribute_not_exists(pk)' },
          },
        }
      : {
          name: 'unitBackordered',
          write: {
            Update: {
              TableName: table,
              Key: unitKey,
              UpdateExpression: 'SET #state = :reserved, codeId = :codeId, codeKey = :codeKey, reservedAt = :now',
              ConditionExpression: '#state = :backordered',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':reserved': 'RESERVED', ':backordered': 'BACKORDERED', ':codeId': codeId, ':codeKey': codeKey, ':now': now },
            },
          },
        };
  if (mode === 'NEW') return [orderNotCancelled(table, unit), unitWrite, reserveCode];
  // No condition: the transaction commits only for a BACKORDERED unit, whose entry was written with it.
  const markEntry: Clause<'fifoEntryReserved'> = {
    name: 'fifoEntryReserved',
    write: { Update: { TableName: table, Key: backorderKeyOf(unit), UpdateExpression: 'SET reservedAt = :now', ExpressionAttributeValues: { ':now': now } } },
  };
  return [orderNotCancelled(table, unit), unitWrite, reserveCode, markEntry];
}

export interface ClaimStoreOptions extends CandidateOptions {
  /** Give up (and report out of stock only if the index is really empty) after this many reads. */
  maxReads?: number;
}

/** Counts of claim work (lost races are wasted writes), for tests and claim benchmarks. */
export interface ClaimStats {
  claims: number;
  lostRaces: number;
  indexReads: number;
}

export class DynamoClaimStore implements ClaimStore {
  private readonly counts = { claims: 0, lostRaces: 0 };
  private readonly candidates: ClaimCandidates;
  private readonly maxReads: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: ClaimStoreOptions,
  ) {
    this.candidates = new ClaimCandidates(db, table, options);
    this.maxReads = options.maxReads ?? 50;
  }

  /** The effective claim settings (defaults filled in), for the benchmark's record of its settings. */
  get settings(): { candidatesPerRead: number; spareTtlMs: number; maxReads: number } {
    return { ...this.candidates.settings, maxReads: this.maxReads };
  }

  get stats(): ClaimStats {
    return { ...this.counts, indexReads: this.candidates.indexReads };
  }

  async claim(unit: NewUnit | WaitingUnit, mode: 'NEW' | 'BACKORDERED', lease?: SendLease): Promise<ClaimOutcome> {
    const tried = new Set<string>();
    const at = new Date().toISOString();
    // A spare of an earlier read first: a claim that finds it still available costs no index read.
    const spare = this.candidates.takeSpare(unit.sku);
    if (spare) {
      const outcome = await this.attempt(unit, spare.candidate, mode, at, tried, lease);
      if (outcome) return outcome;
      this.candidates.dropSpares(unit.sku, spare.batch);
    }
    for (let reads = 0; reads < this.maxReads; ) {
      const found = await this.candidates.find(unit.sku, tried);
      reads += found.reads;
      if (found.ids.length === 0) {
        if (found.exhaustive) return { result: 'OUT_OF_STOCK' };
        continue;
      }
      for (const [i, candidate] of found.ids.entries()) {
        const outcome = await this.attempt(unit, candidate, mode, at, tried, lease);
        if (outcome) {
          this.candidates.keepSpares(unit.sku, found.ids.slice(i + 1), found.readAt);
          return outcome;
        }
      }
    }
    throw new Error(`Could not claim a code for SKU ${unit.sku} after ${this.maxReads} index reads`);
  }

  /**
   * Near a stock-out 25 claimers racing over a few codes lose most races and read the index again
   * for each (a page of 25 took 2.8 s under a burst); here one read finds distinct codes for the
   * oldest units, their claims run side by side, and only a code taken meanwhile sends its unit down
   * the ordinary claim. The next units get the next read; nothing is tried after a stock-out.
   */
  async claimWaiting(units: WaitingUnit[]): Promise<ClaimOutcome[]> {
    if (units.some((unit) => unit.sku !== units[0].sku)) throw new Error('claimWaiting takes the units of one SKU');
    const outcomes: ClaimOutcome[] = [];
    while (outcomes.length < units.length) {
      const rest = units.slice(outcomes.length);
      const found = await this.candidates.collect(rest[0].sku, rest.length);
      if (found.ids.length === 0) {
        outcomes.push({ result: 'OUT_OF_STOCK' });
        break;
      }
      const at = new Date().toISOString();
      const wave = await Promise.all(rest.slice(0, found.ids.length).map(async (unit, i) => (await this.attempt(unit, found.ids[i], 'BACKORDERED', at, new Set())) ?? this.claim(unit, 'BACKORDERED')));
      outcomes.push(...wave);
      if (wave.some((outcome) => outcome.result === 'OUT_OF_STOCK')) break;
    }
    return outcomes;
  }

  /** One claim transaction on a candidate: the claim's outcome, or undefined when the code was taken (try another). */
  private async attempt(unit: NewUnit | WaitingUnit, candidate: Candidate, mode: 'NEW' | 'BACKORDERED', at: string, tried: Set<string>, lease?: SendLease): Promise<ClaimOutcome | undefined> {
    tried.add(candidate.codeId);
    const outcome = await transact(this.db, claimTransactionItems(this.table, unit, candidate, mode, at, lease), 'return');
    if (outcome.ok) {
      this.counts.claims++;
      return { result: 'CLAIMED', codeId: candidate.codeId, codeKey: candidate.codeKey, at };
    }
    switch (outcome.failed) {
      case 'orderNotCancelled':
        return { result: 'ORDER_CANCELLED' };
      case 'unitIsNew':
      case 'unitBackordered':
        return { result: 'UNIT_TAKEN', unit: unitFrom(outcome.item) };
      default:
        // Code taken by someone else, or a transaction conflict on it: either way try another code.
        this.counts.lostRaces++;
        return undefined;
    }
  }

  async releaseUnsent(unit: OrderUnit): Promise<boolean> {
    const outcome = await transact(this.db, [
      {
        name: 'unitUnsent',
        write: {
          Update: {
            TableName: this.table,
            Key: unitKeyOf(unit),
            UpdateExpression: 'SET #state = :cancelled REMOVE codeId, codeKey',
            ConditionExpression: '#state IN (:reserved, :held) AND codeId = :codeId AND attribute_not_exists(sendStartedAt)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':reserved': 'RESERVED', ':held': 'HELD', ':codeId': unit.codeId },
          },
        },
      },
      codeBackToStock(this.table, unit, 'RESERVED', this.options.shards),
    ]);
    return outcome.ok;
  }

  /**
   * [order cancelled, unit DELIVERED as a link and not revealed → CANCELLED, code DELIVERED → AVAILABLE].
   * The reveal's markRevealed writes the same unit item, so DynamoDB serialises the two: whichever
   * commits first wins, and the other's condition fails. A conflict with a concurrent write is thrown,
   * so the cancel message is retried rather than the unit reported delivered.
   */
  async returnUnrevealed(unit: OrderUnit): Promise<boolean> {
    const outcome = await transact(this.db, [
      orderCancelled(this.table, unit),
      {
        name: 'unitUnrevealed',
        write: {
          Update: {
            TableName: this.table,
            Key: unitKeyOf(unit),
            UpdateExpression: 'SET #state = :cancelled REMOVE codeId, codeKey',
            ConditionExpression: '#state = :delivered AND codeId = :codeId AND attribute_exists(revealLinkExpiresAt) AND attribute_not_exists(revealedAt)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':delivered': 'DELIVERED', ':codeId': unit.codeId },
          },
        },
      },
      codeBackToStock(this.table, unit, 'DELIVERED', this.options.shards),
    ]);
    return outcome.ok;
  }
}
