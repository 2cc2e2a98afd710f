// One SKU's stock across the claimer steps of one strategy: topped up to the same level before every
// step (cheaper than seeding a fresh SKU per step), with every claim ever made on it for the read-back.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeVault } from '#adapters/crypto/code-vault';
import { seedCodes } from './seed';

export class BenchStock {
  /** Ids still AVAILABLE (as far as the claims returned say). */
  private readonly available = new Set<string>();
  /** code id → owner keys of every claim that returned it, over all steps. */
  readonly owners = new Map<string, string[]>();
  private seeded = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cipher: CodeVault,
    readonly sku: string,
    private readonly shards: number,
    private readonly legacyKeys = false,
  ) {}

  /** Seeds new codes until `level` are available; returns the seeding time in ms and the codes added. */
  async topUp(level: number): Promise<{ codes: number; ms: number }> {
    const missing = level - this.available.size;
    if (missing <= 0) return { codes: 0, ms: 0 };
    const result = await seedCodes(this.db, this.table, this.cipher, this.sku, missing, { shards: this.shards, parallelism: 8, firstIndex: this.seeded, legacyKeys: this.legacyKeys });
    this.seeded += missing;
    for (const id of result.codeIds) this.available.add(id);
    return { codes: missing, ms: result.ms };
  }

  availableIds(): string[] {
    return [...this.available];
  }

  /** Takes a step's claims out of the available ids and into the owners. */
  record(stepOwners: Map<string, string[]>): void {
    for (const [codeId, list] of stepOwners) {
      this.available.delete(codeId);
      this.owners.set(codeId, [...(this.owners.get(codeId) ?? []), ...list]);
    }
  }
}
