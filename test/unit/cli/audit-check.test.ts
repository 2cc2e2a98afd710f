// The audit's rules on hand-made rows: conservation and the code ↔ unit back-pointers.
import { auditSku, claimedUnitKeys } from '#cli/audit-check';
import { unitKey, type CodeRow, type UnitRow } from '#cli/table-reads';

const SKU = 'SKU-1';
const unitOf = (pk: string, sk: string, row: Partial<UnitRow>): [string, UnitRow] => [unitKey(pk, sk), { pk, sk, sku: SKU, ...row }];
const available = (codeId: string): CodeRow => ({ codeId, status: 'AVAILABLE', availPk: `AVAIL#${SKU}#0` });
const claimed = (codeId: string, status: 'RESERVED' | 'DELIVERED', unit: string): CodeRow => ({ codeId, status, orderPk: 'ORDER#S1#O1', unitSk: `UNIT#${unit}` });

describe('auditSku', () => {
  it('is OK when every code is accounted for and points at its unit', () => {
    const codes = [available('a1'), available('a2'), claimed('r1', 'RESERVED', 'L1#1'), claimed('d1', 'DELIVERED', 'L1#2'), { codeId: 'v1', status: 'REVOKED' }];
    const units = new Map([
      unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'RESERVED', codeId: 'r1' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#2', { state: 'DELIVERED', codeId: 'd1' }),
    ]);
    expect(claimedUnitKeys(codes)).toEqual([
      { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#1' },
      { pk: 'ORDER#S1#O1', sk: 'UNIT#L1#2' },
    ]);
    expect(auditSku(SKU, codes, units)).toEqual({ sku: SKU, imported: 5, available: 2, reserved: 1, delivered: 1, revoked: 1, unknownStatus: 0, problems: [], ok: true });
  });

  it('accepts a delivered code whose committed unit is still RESERVED (markDelivered writes the code first), not an uncommitted one', () => {
    const codes = [claimed('d1', 'DELIVERED', 'L1#1'), claimed('d2', 'DELIVERED', 'L1#2')];
    const units = new Map([
      unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'RESERVED', codeId: 'd1', sendStartedAt: '2026-11-25T10:00:00.000Z' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#2', { state: 'RESERVED', codeId: 'd2' }),
    ]);
    expect(auditSku(SKU, codes, units).problems).toEqual([{ codeId: 'd2', problem: 'is DELIVERED, but its unit ORDER#S1#O1 UNIT#L1#2 is RESERVED' }]);
  });

  it('accepts a reserved code whose unit is HELD for the merchant, not a delivered one', () => {
    const codes = [claimed('r1', 'RESERVED', 'L1#1'), claimed('d1', 'DELIVERED', 'L1#2')];
    const units = new Map([
      unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'HELD', codeId: 'r1' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#2', { state: 'HELD', codeId: 'd1' }),
    ]);
    expect(auditSku(SKU, codes, units).problems).toEqual([{ codeId: 'd1', problem: 'is DELIVERED, but its unit ORDER#S1#O1 UNIT#L1#2 is HELD' }]);
  });

  it('flags a unit that looks for its code in another partition than the one the code is in', () => {
    const units = new Map([
      unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'DELIVERED', codeId: 'd1', codeKey: `CODES#${SKU}#4` }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#2', { state: 'DELIVERED', codeId: 'd2' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#3', { state: 'DELIVERED', codeId: 'd3', codeKey: `CODES#${SKU}#9` }),
    ]);
    const codes: CodeRow[] = [
      // Where the claim found it, and a code stored before sharding for a unit claimed before it: both fine.
      { ...claimed('d1', 'DELIVERED', 'L1#1'), pk: `CODES#${SKU}#4` },
      { ...claimed('d2', 'DELIVERED', 'L1#2'), pk: `SKU#${SKU}` },
      // A copy of the item in another shard is not the unit's code.
      { ...claimed('d3', 'DELIVERED', 'L1#3'), pk: `CODES#${SKU}#2` },
    ];
    expect(auditSku(SKU, codes, units).problems).toEqual([
      { codeId: 'd3', problem: `is DELIVERED for ORDER#S1#O1 UNIT#L1#3, but that unit looks for its code in "CODES#${SKU}#9", not "CODES#${SKU}#2"` },
    ]);
  });

  it('is OK for a SKU without codes', () => {
    expect(auditSku(SKU, [], new Map())).toMatchObject({ imported: 0, ok: true });
  });

  it('breaks conservation for a missing or unknown status', () => {
    const result = auditSku(SKU, [available('a1'), { codeId: 'x1' }, { codeId: 'x2', status: 'SOLD' }], new Map());
    expect(result).toMatchObject({ imported: 3, available: 1, unknownStatus: 2, ok: false });
    expect(result.problems).toEqual([
      { codeId: 'x1', problem: 'has no status' },
      { codeId: 'x2', problem: 'has status "SOLD", which is none of AVAILABLE, RESERVED, DELIVERED, REVOKED' },
    ]);
  });

  it('flags index membership that does not match the status', () => {
    const result = auditSku(SKU, [{ codeId: 'a1', status: 'AVAILABLE' }, { codeId: 'v1', status: 'REVOKED', availPk: 'AVAIL#SKU-1#3' }], new Map());
    expect(result.problems).toEqual([
      { codeId: 'a1', problem: 'is AVAILABLE but not in the available index (no availPk): it can never be claimed' },
      { codeId: 'v1', problem: 'is REVOKED but still in the available index (availPk set)' },
    ]);
    expect(result.ok).toBe(false);
  });

  it('flags an available code that still points at a unit', () => {
    const result = auditSku(SKU, [{ ...available('a1'), orderPk: 'ORDER#S1#O1', unitSk: 'UNIT#L1#1' }], new Map());
    expect(result.problems).toEqual([{ codeId: 'a1', problem: 'is AVAILABLE but still points at a unit (ORDER#S1#O1 UNIT#L1#1)' }]);
  });

  it('flags claimed codes whose unit is missing, holds another code, is another SKU or in another state', () => {
    const codes = [
      { codeId: 'n1', status: 'RESERVED' },
      claimed('m1', 'DELIVERED', 'L9#1'),
      claimed('o1', 'DELIVERED', 'L1#1'),
      claimed('s1', 'RESERVED', 'L1#2'),
      claimed('t1', 'DELIVERED', 'L1#3'),
    ];
    const units = new Map([
      unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'DELIVERED', codeId: 'other' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#2', { state: 'RESERVED', codeId: 's1', sku: 'SKU-2' }),
      unitOf('ORDER#S1#O1', 'UNIT#L1#3', { state: 'RESERVED', codeId: 't1' }),
    ]);
    const result = auditSku(SKU, codes, units);
    expect(result.unknownStatus).toBe(0);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { codeId: 'n1', problem: 'is RESERVED but points at no order unit' },
      { codeId: 'm1', problem: 'is DELIVERED for ORDER#S1#O1 UNIT#L9#1, but that unit does not exist' },
      { codeId: 'o1', problem: 'is DELIVERED for ORDER#S1#O1 UNIT#L1#1, but that unit holds code other' },
      { codeId: 's1', problem: 'is RESERVED for ORDER#S1#O1 UNIT#L1#2, but that unit is for SKU "SKU-2"' },
      { codeId: 't1', problem: 'is DELIVERED, but its unit ORDER#S1#O1 UNIT#L1#3 is RESERVED' },
    ]);
  });

  it('catches two codes claimed for one unit: only one of them is the unit\'s', () => {
    const codes = [claimed('c1', 'DELIVERED', 'L1#1'), claimed('c2', 'DELIVERED', 'L1#1')];
    const units = new Map([unitOf('ORDER#S1#O1', 'UNIT#L1#1', { state: 'DELIVERED', codeId: 'c1' })]);
    expect(auditSku(SKU, codes, units).problems).toEqual([{ codeId: 'c2', problem: 'is DELIVERED for ORDER#S1#O1 UNIT#L1#1, but that unit holds code c1' }]);
  });
});
