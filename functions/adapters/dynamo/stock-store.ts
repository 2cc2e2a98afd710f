// The codes of a SKU: idempotent intake (one guard item per code value across every SKU), the bounded
// stock count over the available index, reading one code to send, and the per-status audit.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeVault } from '#adapters/crypto/code-vault';
import { CODE_STATUSES, type CodeMaterial, type CodeStatus } from '#core/model';
import type { CodeRef, StockStore } from '#core/ports/stock';
import { addCodes, type IntakeMode, type IntakeResult } from './code-intake';
import { codeKeyOf } from './items';
import { availPk, codePartitions, codeSk } from './keys';
import { countUpTo, queryAll } from './reads';
import { AVAILABLE_INDEX } from './table-schema';

export interface StockStoreOptions {
  shards: number;
  /** How new codes are written (code-intake.ts). @default 'batched' */
  intake?: IntakeMode;
  /** Parallel insert transactions of one `addCodes` call. @default 4 batched, 16 per code */
  addConcurrency?: number;
}

/** The vault, or how to load it on first use: a function that never reads nor adds a code never loads its keys. */
export type VaultSource = CodeVault | (() => Promise<CodeVault>);

export class DynamoStockStore implements StockStore {
  private loaded?: Promise<CodeVault>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly vaultSource: VaultSource,
    private readonly options: StockStoreOptions,
  ) {}

  private vault(): Promise<CodeVault> {
    const source = this.vaultSource;
    if (typeof source !== 'function') return Promise.resolve(source);
    // A failed load (a throttled secret read) is not kept: the next use tries again.
    this.loaded ??= source().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  async readCode(ref: CodeRef): Promise<CodeMaterial> {
    const { sku, codeId } = ref;
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: codeKeyOf(ref), ConsistentRead: true }));
    if (!res.Item?.sealed) throw new Error(`Code ${codeId} of SKU ${sku} not found`);
    return (await this.vault()).open(res.Item.sealed as string, { sku, codeId });
  }

  async countAvailable(sku: string, atMost: number): Promise<number> {
    let count = 0;
    for (let shard = 0; shard < this.options.shards && count < atMost; shard++) {
      count += await countUpTo(
        this.db,
        { TableName: this.table, IndexName: AVAILABLE_INDEX.name, KeyConditionExpression: 'availPk = :p', ExpressionAttributeValues: { ':p': availPk(sku, shard) } },
        atMost - count,
      );
    }
    return count;
  }

  async addCodes(sku: string, codes: CodeMaterial[], source: string): Promise<IntakeResult> {
    // A call with nothing to add never loads the vault's keys.
    if (codes.length === 0) return { inserted: 0, duplicates: 0 };
    const { shards, intake = 'batched', addConcurrency = intake === 'batched' ? 4 : 16 } = this.options;
    return addCodes({ db: this.db, table: this.table, vault: await this.vault(), shards }, { sku, codes, source, mode: intake, concurrency: addConcurrency });
  }

  async audit(sku: string): Promise<Record<CodeStatus, number>> {
    const counts = Object.fromEntries(CODE_STATUSES.map((status) => [status, 0])) as Record<CodeStatus, number>;
    const items = (
      await Promise.all(
        codePartitions(sku).map((pk) =>
          queryAll(this.db, {
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :code)',
            ExpressionAttributeValues: { ':pk': pk, ':code': codeSk('') },
            ProjectionExpression: '#status',
            ExpressionAttributeNames: { '#status': 'status' },
            ConsistentRead: true,
          }),
        ),
      )
    ).flat();
    for (const item of items) {
      const status = item.status as CodeStatus;
      if (!(status in counts)) throw new Error(`Code item of SKU ${sku} has an unknown status`);
      counts[status]++;
    }
    return counts;
  }
}
