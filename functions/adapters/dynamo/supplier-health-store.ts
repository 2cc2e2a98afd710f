// One item per supplier: the balance last read, the last error, and the low-balance alert's claim (a
// conditional write, so one container alerts per window however many decide at once).
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SupplierHealth, SupplierHealthStore } from '#core/ports/supplier-health';
import { conditionally } from './conditions';
import { SUPPLIER_HEALTH_SK, supplierPk } from './keys';
import { queryAll } from './reads';
import { KIND_INDEX } from './table-schema';

const SUPPLIER_KIND = 'SUPPLIER';

export class DynamoSupplierHealthStore implements SupplierHealthStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  private key = (supplier: string) => ({ pk: supplierPk(supplier), sk: SUPPLIER_HEALTH_SK });

  private async set(supplier: string, fields: Record<string, unknown>): Promise<void> {
    const entries = Object.entries({ kind: SUPPLIER_KIND, supplier, ...fields });
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(supplier),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      }),
    );
  }

  recordBalance(supplier: string, balance: { amount: number; currency: string }, at: string): Promise<void> {
    return this.set(supplier, { balance, balanceAt: at });
  }

  recordError(supplier: string, message: string, at: string): Promise<void> {
    return this.set(supplier, { lastError: message, lastErrorAt: at });
  }

  async claimLowBalanceAlert(supplier: string, at: string, quietSince: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'noAlertSince', {
      Update: {
        TableName: this.table,
        Key: this.key(supplier),
        UpdateExpression: 'SET kind = :kind, supplier = :supplier, lowBalanceAlertedAt = :at',
        ConditionExpression: 'attribute_not_exists(lowBalanceAlertedAt) OR lowBalanceAlertedAt < :since',
        ExpressionAttributeValues: { ':kind': SUPPLIER_KIND, ':supplier': supplier, ':at': at, ':since': quietSince },
      },
    });
    return outcome.ok;
  }

  async list(): Promise<SupplierHealth[]> {
    const items = await queryAll(this.db, { TableName: this.table, IndexName: KIND_INDEX.name, KeyConditionExpression: 'kind = :kind', ExpressionAttributeValues: { ':kind': SUPPLIER_KIND } });
    return items.map((item) => ({
      supplier: item.supplier as string,
      balance: item.balance as SupplierHealth['balance'],
      balanceAt: item.balanceAt as string | undefined,
      lastError: item.lastError as string | undefined,
      lastErrorAt: item.lastErrorAt as string | undefined,
      lowBalanceAlertedAt: item.lowBalanceAlertedAt as string | undefined,
    }));
  }
}
