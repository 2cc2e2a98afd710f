// What AWS bills to import one new code (batched intake, code-intake.ts). DynamoDB Local under-reports
// it: nothing for BatchGetItem, and only 2 units per item for a 100-item transaction, without the index.
export const INTAKE_UNITS_PER_CODE = {
  /** Guard and code item, 2 units each in a transaction (both under 1 KB), plus 1 for the available-index entry. */
  write: 2 * 2 + 1,
  /** The guard's consistent read before the write (1 unit per item up to 4 KB). */
  read: 1,
} as const;
