// Writing new codes into a SKU's stock. A code value is held at most once across every SKU: each code
// item is written in one transaction with a guard item keyed by the code's HMAC id, so a code is either
// fully held (guard and item) or not at all, whoever else is importing or restocking at the same time.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CodeVault } from '#adapters/crypto/code-vault';
import { mapLimited } from '#core/map-limited';
import type { CodeMaterial } from '#core/model';
import { cancellationReasons, transact } from './conditions';
import { availableCodeItem } from './items';
import { CODE_GUARD_SK, codeGuardPk } from './keys';
import { batchGetAll } from './reads';

export interface IntakeResult {
  inserted: number;
  duplicates: number;
}

export interface IntakeTarget {
  db: DynamoDBDocumentClient;
  table: string;
  vault: CodeVault;
  shards: number;
}

/**
 * `batched`: 50 codes per transaction after one read of their guards (a supplier file of 100,000 codes
 * is 2,000 transactions, not 100,000). `per-code`: one transaction per code, the intake before batching,
 * kept as the benchmark's baseline.
 */
export type IntakeMode = 'batched' | 'per-code';

/** A guard and a code item per code; TransactWriteItems takes at most 100 items. */
export const CODES_PER_TRANSACTION = 50;
/** A single code cancelled only by concurrent writers (no condition failed) is tried this often. */
const CONFLICT_ATTEMPTS = 5;
const CONFLICT_BACKOFF_MS = 20;

interface Prepared {
  codeId: string;
  material: CodeMaterial;
}

const guardKey = (codeId: string) => ({ pk: codeGuardPk(codeId), sk: CODE_GUARD_SK });

/** Ids computed up front, so a value repeated inside one call is one code and the rest duplicates. */
function prepare(vault: CodeVault, codes: CodeMaterial[]): Prepared[] {
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  for (const material of codes) {
    const codeId = vault.idOf(material);
    if (seen.has(codeId)) continue;
    seen.add(codeId);
    prepared.push({ codeId, material });
  }
  return prepared;
}

export async function addCodes(
  target: IntakeTarget,
  request: { sku: string; codes: CodeMaterial[]; source: string; mode: IntakeMode; concurrency: number },
): Promise<IntakeResult> {
  const prepared = prepare(target.vault, request.codes);
  const result: IntakeResult = { inserted: 0, duplicates: request.codes.length - prepared.length };
  const itemsOf = (batch: Prepared[]) => sealedItems(target, request.sku, request.source, batch);

  if (request.mode === 'per-code') {
    await mapLimited(prepared, request.concurrency, async (code) => {
      const [{ guard, item }] = await itemsOf([code]);
      const outcome = await transact(target.db, [
        { name: 'codeValueIsNew', write: { Put: { TableName: target.table, Item: guard, ConditionExpression: 'attribute_not_exists(pk)' } } },
        { name: 'codeItemIsNew', write: { Put: { TableName: target.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } } },
      ]);
      if (outcome.ok) result.inserted++;
      else result.duplicates++;
    });
    return result;
  }

  const batches: Prepared[][] = [];
  for (let i = 0; i < prepared.length; i += CODES_PER_TRANSACTION) batches.push(prepared.slice(i, i + CODES_PER_TRANSACTION));
  await mapLimited(batches, request.concurrency, async (batch) => {
    // Reading the guards first keeps a re-run of a file cheap: codes already held cost a read, not a cancelled transaction.
    const held = new Set((await batchGetAll(target.db, target.table, batch.map((c) => guardKey(c.codeId)), { consistentRead: true, projection: 'pk' })).map((g) => g.pk));
    const pending = await itemsOf(batch.filter((c) => !held.has(codeGuardPk(c.codeId))));
    result.duplicates += batch.length - pending.length;
    await storeNew(target, request.sku, pending, result);
  });
  return result;
}

/**
 * Writes codes known to be new a moment ago. Two writers of overlapping values cancel each other's whole
 * transaction (a conflict, no condition failed): after a pause the batch goes again in halves, so what
 * collides shrinks to single codes instead of two full batches colliding again and again.
 */
async function storeNew(target: IntakeTarget, sku: string, codes: IntakeItems[], result: IntakeResult, depth = 1): Promise<void> {
  let pending = codes;
  // A single code's own tries: the halvings above it do not use them up.
  let singleAttempts = 0;
  while (pending.length > 0) {
    const refused = await insertAll(target, pending);
    if (refused === 'conflict') {
      if (pending.length === 1 && ++singleAttempts >= CONFLICT_ATTEMPTS) throw new Error(`Code intake for SKU ${sku}: a code kept conflicting with concurrent writes`);
      // Full jitter: writers that collided once do not come back in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BACKOFF_MS * 2 ** Math.min(depth + singleAttempts, 6)));
      if (pending.length === 1) continue;
      const half = Math.ceil(pending.length / 2);
      await storeNew(target, sku, pending.slice(0, half), result, depth + 1);
      await storeNew(target, sku, pending.slice(half), result, depth + 1);
      return;
    }
    if (refused.size === 0) {
      result.inserted += pending.length;
      return;
    }
    // Someone else stored these values between the read and the write: they are duplicates, the rest go again.
    result.duplicates += refused.size;
    pending = pending.filter((p) => !refused.has(p.codeId));
  }
}

interface IntakeItems {
  codeId: string;
  guard: Record<string, unknown>;
  item: Record<string, unknown>;
}

/** Sealed only once the code is known to be new: a re-run of a file opens no data key for what is held. */
function sealedItems(target: IntakeTarget, sku: string, source: string, batch: Prepared[]): Promise<IntakeItems[]> {
  const addedAt = new Date().toISOString();
  return Promise.all(
    batch.map(async ({ codeId, material }) => {
      const sealed = await target.vault.seal(material, { sku, codeId });
      const item = availableCodeItem({ sku, codeId, sealed, expiresAt: material.expiresAt, format: material.format, source, addedAt, shards: target.shards });
      return { codeId, guard: { ...guardKey(codeId), sku }, item };
    }),
  );
}

/** One transaction for the batch: the ids whose guard or item already existed, or 'conflict'. */
async function insertAll(target: IntakeTarget, puts: IntakeItems[]): Promise<Set<string> | 'conflict'> {
  const items = puts.flatMap(({ guard, item }) => [
    { Put: { TableName: target.table, Item: guard, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: target.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  try {
    await target.db.send(new TransactWriteCommand({ TransactItems: items }));
    return new Set();
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (!reasons) throw err;
    const refused = new Set<string>();
    reasons.forEach((reason, index) => {
      if (reason.Code === 'ConditionalCheckFailed') refused.add(puts[Math.floor(index / 2)].codeId);
    });
    if (refused.size > 0) return refused;
    if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
    throw err;
  }
}
