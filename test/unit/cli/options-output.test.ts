// Option parsers, table rendering and contact masking of the CLI.
import { InvalidArgumentError } from 'commander';
import { maskContact } from '#cli/commands/orders';
import { identifier, label, positiveNumber, wholeNumber } from '#cli/options';
import { formatBounded, renderFields, renderTable } from '#cli/output';

describe('option parsers', () => {
  it('wholeNumber takes digits only, within bounds', () => {
    expect(wholeNumber(0)('0')).toBe(0);
    expect(wholeNumber(1, 100)('100')).toBe(100);
    for (const bad of ['', '-1', '1.5', '1e3', 'five']) expect(() => wholeNumber(0)(bad)).toThrow(InvalidArgumentError);
    expect(() => wholeNumber(1)('0')).toThrow('must be 1 or more.');
    expect(() => wholeNumber(1, 100)('101')).toThrow('must be between 1 and 100.');
  });

  it('positiveNumber takes a decimal price above zero', () => {
    expect(positiveNumber('9.99')).toBe(9.99);
    for (const bad of ['0', '-5', 'abc', '1,5']) expect(() => positiveNumber(bad)).toThrow(InvalidArgumentError);
  });

  it('identifier refuses key separators, spaces and control characters', () => {
    expect(identifier(' ITUNES-SA-50 ')).toBe('ITUNES-SA-50');
    for (const bad of ['', 'A#B', 'A B', 'A\tB', 'x'.repeat(129)]) expect(() => identifier(bad)).toThrow(InvalidArgumentError);
  });

  it('label takes free text without control characters', () => {
    expect(label('iTunes 50 SAR')).toBe('iTunes 50 SAR');
    expect(() => label('a\nb')).toThrow(InvalidArgumentError);
  });
});

describe('output', () => {
  it('renders an aligned table with right-aligned numbers and "-" for empty cells', () => {
    const text = renderTable(
      [
        { sku: 'A', n: 5, s: undefined },
        { sku: 'LONGER', n: 12_345, s: 'x' },
      ],
      [
        { header: 'SKU', value: (r) => r.sku },
        { header: 'COUNT', value: (r) => r.n, align: 'right' },
        { header: 'S', value: (r) => r.s },
      ],
    );
    expect(text.split('\n')).toEqual(['SKU      COUNT  S', 'A            5  -', 'LONGER  12,345  x', '']);
  });

  it('says "≥" for a count that reached its cap', () => {
    expect(formatBounded(10_000, true)).toBe('≥10,000');
    expect(formatBounded(42, false)).toBe('42');
  });

  it('renders key: value fields, leaving out empty ones', () => {
    expect(renderFields([['order', 'S1 / O1'], ['reference', undefined], ['units', 2]])).toBe('order:  S1 / O1\nunits:  2\n');
  });

  it('masks phone and e-mail, keeps the name', () => {
    expect(maskContact({ name: 'Sara', phone: '+966500000001', email: 'sara@example.com' })).toEqual({ name: 'Sara', phone: '+9665•••••001', email: 's•••@example.com' });
    expect(maskContact({ phone: '12345' })).toEqual({ phone: '•••' });
    expect(maskContact(undefined)).toBeUndefined();
  });
});
