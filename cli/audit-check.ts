// The conservation audit of one SKU, as a pure function over what table-reads.ts returns:
// imported (every code item) = available + reserved + delivered + revoked, and every claimed code and
// its order unit point at each other. Problems name code ids and unit keys, never code values.
import type { CodeRow, UnitRow } from './table-reads';
import { unitKey } from './table-reads';
import { skuPk } from '#adapters/dynamo/keys';

export const CODE_STATUSES = ['AVAILABLE', 'RESERVED', 'DELIVERED', 'REVOKED'] as const;

export interface AuditProblem {
  codeId: string;
  problem: string;
}

export interface SkuAudit {
  sku: string;
  /** Every code item of the SKU, whatever its status. */
  imported: number;
  available: number;
  reserved: number;
  delivered: number;
  revoked: number;
  /** Items whose status is missing or not one of CODE_STATUSES: what breaks conservation. */
  unknownStatus: number;
  problems: AuditProblem[];
  ok: boolean;
}

const isClaimed = (status: string | undefined) => status === 'RESERVED' || status === 'DELIVERED';

/** The unit keys the audit must read: those of RESERVED and DELIVERED codes. */
export function claimedUnitKeys(codes: CodeRow[]): Array<{ pk: string; sk: string }> {
  return codes.filter((c) => isClaimed(c.status) && c.orderPk && c.unitSk).map((c) => ({ pk: c.orderPk!, sk: c.unitSk! }));
}

const unitName = (pk: string, sk: string) => `${pk} ${sk}`;
const shown = (value: string) => JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}…` : value);

function problemsOf(sku: string, code: CodeRow, units: Map<string, UnitRow>): string[] {
  const { status } = code;
  if (!(CODE_STATUSES as readonly string[]).includes(status ?? '')) {
    return [status === undefined ? 'has no status' : `has status ${shown(status)}, which is none of ${CODE_STATUSES.join(', ')}`];
  }
  const problems: string[] = [];
  if (status === 'AVAILABLE') {
    if (!code.availPk) problems.push('is AVAILABLE but not in the available index (no availPk): it can never be claimed');
    if (code.orderPk || code.unitSk) problems.push(`is AVAILABLE but still points at a unit (${unitName(code.orderPk ?? '?', code.unitSk ?? '?')})`);
    return problems;
  }
  if (code.availPk) problems.push(`is ${status} but still in the available index (availPk set)`);
  if (!isClaimed(status)) return problems;
  if (!code.orderPk || !code.unitSk) return [...problems, `is ${status} but points at no order unit`];
  const ref = unitName(code.orderPk, code.unitSk);
  const unit = units.get(unitKey(code.orderPk, code.unitSk));
  if (!unit) return [...problems, `is ${status} for ${ref}, but that unit does not exist`];
  if (unit.codeId !== code.codeId) problems.push(`is ${status} for ${ref}, but that unit holds ${unit.codeId ? `code ${unit.codeId}` : 'no code'}`);
  // The unit finds its code where the claim recorded it: a copy of the item elsewhere is not that code.
  else if (code.pk !== undefined && (unit.codeKey ?? skuPk(sku)) !== code.pk) problems.push(`is ${status} for ${ref}, but that unit looks for its code in ${shown(unit.codeKey ?? skuPk(sku))}, not ${shown(code.pk)}`);
  if (unit.sku !== sku) problems.push(`is ${status} for ${ref}, but that unit is for SKU ${shown(unit.sku ?? '?')}`);
  // markDelivered writes the code, then the unit: a committed unit still RESERVED behind a DELIVERED code
  // is a delivery its message's retry (or a DLQ redrive) finishes, not an inconsistency.
  const finishing = status === 'DELIVERED' && unit.state === 'RESERVED' && unit.sendStartedAt !== undefined;
  // A held unit keeps its code reserved until the merchant releases or cancels it; one held after a
  // provider failed its accepted message (every channel failed) keeps it DELIVERED to that unit.
  const held = unit.state === 'HELD' && (status === 'RESERVED' || unit.sendStartedAt !== undefined);
  if (unit.state !== status && !finishing && !held) problems.push(`is ${status}, but its unit ${ref} is ${unit.state ?? 'without a state'}`);
  return problems;
}

/** Audits one SKU from its code rows and the units its claimed codes point at. */
export function auditSku(sku: string, codes: CodeRow[], units: Map<string, UnitRow>): SkuAudit {
  const count = (status: string) => codes.filter((c) => c.status === status).length;
  const [available, reserved, delivered, revoked] = CODE_STATUSES.map(count);
  const unknownStatus = codes.length - (available + reserved + delivered + revoked);
  const problems = codes.flatMap((code) => problemsOf(sku, code, units).map((problem) => ({ codeId: code.codeId, problem })));
  return {
    sku,
    imported: codes.length,
    available,
    reserved,
    delivered,
    revoked,
    unknownStatus,
    problems,
    ok: unknownStatus === 0 && problems.length === 0,
  };
}
