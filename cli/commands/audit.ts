// `audit [sku]`: the conservation check (docs/architecture.md, "Invariants"). Exit code 1 on any mismatch, so it can gate a
// deploy or page someone from a scheduled job.
import type { Command } from 'commander';
import { auditSku, claimedUnitKeys, type SkuAudit } from '../audit-check';
import { CliError, EXIT } from '../errors';
import { identifier } from '../options';
import { plural, renderTable } from '../output';
import type { GlobalOptions, Session } from '../session';
import { allSkus } from '../skus';
import { readCodeRows, readUnitRows } from '../table-reads';

/** Problems printed per SKU as text; --json lists them all. */
const MAX_PRINTED_PROBLEMS = 20;

export function registerAudit(program: Command, session: Session): void {
  program
    .command('audit')
    .description('Check conservation per SKU: imported = available + reserved + delivered + revoked, and claimed codes ↔ their order units')
    .argument('[sku]', 'only this SKU (default: every configured SKU)', identifier)
    .addHelpText(
      'after',
      `
Reads every code item of the SKU (consistent reads) and, for each RESERVED or DELIVERED code, the order
unit it points at: that unit must exist, hold this code and be in the same state. AVAILABLE codes must be
in the available index, and no other code may be. Prints OK or MISMATCH per SKU; exits 1 on any mismatch.

Example:
  $ npx tsx cli/streamsync.ts --local audit ITUNES-SA-50
`,
    )
    .action(async (sku: string | undefined, _options: unknown, command: Command) => {
      await runAudit(session, sku, command.optsWithGlobals<GlobalOptions>());
    });
}

async function runAudit(session: Session, sku: string | undefined, options: GlobalOptions): Promise<void> {
  const connection = await session.connect(options);
  const deps = await connection.deps();
  const table = connection.config.TABLE_NAME;
  const skus = sku ? [sku] : await allSkus(deps);
  const results: SkuAudit[] = [];
  for (const id of skus) {
    const codes = await readCodeRows(connection.db, table, id);
    if (sku && codes.length === 0 && !(await deps.catalog.getSkuConfig(id))) throw new CliError(`Unknown SKU "${id}": no configuration and no codes.`);
    const units = await readUnitRows(connection.db, table, claimedUnitKeys(codes));
    results.push(auditSku(id, codes, units));
  }
  const ok = results.every((r) => r.ok);
  if (!ok) session.exitCode = EXIT.FAILED;
  if (options.json) {
    session.json({ ok, skus: results });
    return;
  }
  if (results.length === 0) {
    session.out('No SKUs to audit.');
    return;
  }
  session.out(
    renderTable(results, [
      { header: 'SKU', value: (r) => r.sku },
      { header: 'IMPORTED', value: (r) => r.imported, align: 'right' },
      { header: 'AVAILABLE', value: (r) => r.available, align: 'right' },
      { header: 'RESERVED', value: (r) => r.reserved, align: 'right' },
      { header: 'DELIVERED', value: (r) => r.delivered, align: 'right' },
      { header: 'REVOKED', value: (r) => r.revoked, align: 'right' },
      { header: 'UNKNOWN', value: (r) => r.unknownStatus, align: 'right' },
      { header: 'RESULT', value: (r) => (r.ok ? 'OK' : 'MISMATCH') },
    ]),
  );
  for (const r of results.filter((x) => !x.ok)) {
    const lines = [`MISMATCH ${r.sku}: ${plural(r.problems.length, 'problem')}`];
    if (r.unknownStatus > 0) lines.push(`  imported ${r.imported} ≠ ${r.available + r.reserved + r.delivered + r.revoked} (available + reserved + delivered + revoked)`);
    lines.push(...r.problems.slice(0, MAX_PRINTED_PROBLEMS).map((p) => `  code ${p.codeId} ${p.problem}`));
    if (r.problems.length > MAX_PRINTED_PROBLEMS) lines.push(`  … and ${r.problems.length - MAX_PRINTED_PROBLEMS} more (--json lists all)`);
    session.out(lines.join('\n'));
  }
  session.out(ok ? `OK: ${plural(results.length, 'SKU')} audited, all consistent.` : `MISMATCH in ${results.filter((r) => !r.ok).map((r) => r.sku).join(', ')}.`);
}
